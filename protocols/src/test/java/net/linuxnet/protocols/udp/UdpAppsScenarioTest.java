package net.linuxnet.protocols.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sock.SockaddrIn;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.cpu.CpuContext;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.report.Report;
import net.linuxnet.core.testing.TestWorlds;
import org.junit.jupiter.api.Test;

/** The UDP applications in scenarios over a veth pair. */
final class UdpAppsScenarioTest {

    static World run(String apps) {
        String scenario = """
                linuxnet {
                  run { duration = 200ms, seed = 5 }
                  hosts {
                    a { cpus = 1
                        devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                        apps { %s } }
                    b { cpus = 1
                        devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                        apps { %s } }
                  }
                }
                """;
        String[] ab = apps.split("\\|");
        World w = TestWorlds.build(scenario.formatted(ab[0], ab[1]));
        w.run(null);
        return w;
    }

    static Map<String, Object> result(World w, String app) {
        for (World.App a : w.apps()) {
            if (a.name().equals(app)) {
                Map<String, Object> m = new LinkedHashMap<>();
                a.app().report(new ResultWriter() {
                    @Override
                    public ResultWriter put(String key, long value) {
                        m.put(key, value);
                        return this;
                    }

                    @Override
                    public ResultWriter put(String key, double value) {
                        m.put(key, value);
                        return this;
                    }

                    @Override
                    public ResultWriter put(String key, String value) {
                        m.put(key, value);
                        return this;
                    }

                    @Override
                    public ResultWriter put(String key, boolean value) {
                        m.put(key, value);
                        return this;
                    }
                });
                return m;
            }
        }
        throw new AssertionError("no app " + app);
    }

    static long l(Map<String, Object> m, String k) {
        return (long) m.get(k);
    }

    @Test
    void slowSinkOverflowsItsReceiveBufferAndEveryDatagramIsAccounted() {
        World w = run("""
                tx { kind = udp-sender, dst = "10.0.0.2:9000", rate = 20kpps, size = 1000, flows = 4 }
                |
                rx { kind = udp-sink, port = 9000, rcvbuf = 32kb, rate = 5kpps }
                """);
        Host b = w.host("b");
        long sent = l(result(w, "tx"), "sent");
        Map<String, Object> rx = result(w, "rx");
        long read = l(rx, "received");
        long queued = l(rx, "queued");
        long rcvbufErrors = b.mib("UdpRcvbufErrors").get();
        assertThat(sent).isBetween(3900L, 4100L);
        assertThat(read).isBetween(900L, 1100L);
        assertThat(queued).isPositive();
        assertThat(rcvbufErrors).isPositive().isEqualTo(sent - read - queued);
        assertThat(b.mib("UdpInErrors").get()).isEqualTo(rcvbufErrors);
        assertThat(l(rx, "drops")).isEqualTo(rcvbufErrors);
        assertThat(b.drops(SkbDropReason.SOCKET_RCVBUFF)).isEqualTo(rcvbufErrors);
        assertThat(b.mib("UdpInDatagrams").get()).isEqualTo(read);
        assertThat(w.host("a").mib("UdpOutDatagrams").get()).isEqualTo(sent);
        // system calls run in process context on the task's CPU: at least sys_sendmsg + udp_sendmsg each
        long perSend = w.host("a").costStage("sys_sendmsg").costNs(0) + w.host("a").costStage("udp_sendmsg").costNs(1000);
        assertThat(w.host("a").cpu(0).timeIn(CpuContext.PROCESS)).isGreaterThanOrEqualTo(sent * perSend);
        long perRecv = b.costStage("sys_recvmsg").costNs(0) + b.costStage("udp_recvmsg").costNs(1000);
        assertThat(b.cpu(0).timeIn(CpuContext.PROCESS)).isGreaterThanOrEqualTo(read * perRecv);
        // the sockets section: ss -tuanm
        Map<String, Object> report = Report.build(w);
        @SuppressWarnings("unchecked")
        Map<String, Object> hb = (Map<String, Object>) ((Map<String, Object>) report.get("hosts")).get("b");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> socks = (List<Map<String, Object>>) hb.get("sockets");
        assertThat(socks).hasSize(1);
        assertThat(socks.get(0)).containsEntry("netid", "udp").containsEntry("local", "0.0.0.0:9000")
                .containsEntry("state", "UNCONN");
        @SuppressWarnings("unchecked")
        Map<String, Object> skmem = (Map<String, Object>) socks.get(0).get("skmem");
        assertThat(skmem).containsEntry("rb", 65536).containsEntry("d", rcvbufErrors);
        assertThat(Report.text(w)).contains("$ ss -tuanm", "skmem:(r");
    }

    @Test
    void senderBlocksOnAFullSendBufferLikeIperf() {
        World w = run("""
                tx { kind = udp-sender, dst = "10.0.0.2:9000", size = 1400, sndbuf = 4kb }
                |
                rx { kind = udp-sink, port = 9000 }
                """);
        Map<String, Object> tx = result(w, "tx");
        assertThat(l(tx, "blocked")).isPositive();
        assertThat(l(tx, "errors")).isZero();
        assertThat(w.host("a").mib("UdpSndbufErrors").get()).isZero();
        Map<String, Object> rx = result(w, "rx");
        assertThat(l(rx, "received") + l(rx, "queued") + w.host("b").mib("UdpRcvbufErrors").get())
                .isEqualTo(l(tx, "sent"));
    }

    @Test
    void nonblockingSenderCountsEagainAsErrors() {
        World w = run("""
                tx { kind = udp-sender, dst = "10.0.0.2:9000", size = 1400, sndbuf = 4kb, nonblocking = true }
                |
                rx { kind = udp-sink, port = 9000 }
                """);
        Map<String, Object> tx = result(w, "tx");
        assertThat(l(tx, "errors")).isPositive();
        assertThat(l(tx, "blocked")).isZero();
        assertThat(w.host("a").mib("UdpSndbufErrors").get()).isEqualTo(l(tx, "errors"));
    }

    @Test
    void requestResponseMeasuresRoundTrips() {
        World w = run("""
                rr { kind = udp-rr, dst = "10.0.0.2:7", size = 64, interval = 1ms }
                |
                echo { kind = udp-echo, port = 7 }
                """);
        Map<String, Object> rr = result(w, "rr");
        Map<String, Object> echo = result(w, "echo");
        assertThat(l(rr, "requests")).isBetween(190L, 201L);
        assertThat(l(rr, "responses")).isEqualTo(l(rr, "requests"));
        assertThat(l(echo, "responses")).isEqualTo(l(rr, "responses"));
        assertThat(l(rr, "p50_ns")).isPositive().isLessThan(100_000L);
        assertThat(l(rr, "p99_ns")).isGreaterThanOrEqualTo(l(rr, "p50_ns"));
    }

    @Test
    void reuseportSinksShareFlows() {
        World w = run("""
                tx { kind = udp-sender, dst = "10.0.0.2:9000", rate = 10kpps, size = 100, flows = 32, src-port = 10000 }
                |
                rx0 { kind = udp-sink, port = 9000, reuseport = true }
                rx1 { kind = udp-sink, port = 9000, reuseport = true }
                """);
        long r0 = l(result(w, "rx0"), "received");
        long r1 = l(result(w, "rx1"), "received");
        assertThat(r0).isPositive();
        assertThat(r1).isPositive();
        long q = l(result(w, "rx0"), "queued") + l(result(w, "rx1"), "queued");
        assertThat(r0 + r1 + q).isEqualTo(l(result(w, "tx"), "sent"));
        assertThat(SockaddrIn.ntoa(UdpSocketTest.B)).isEqualTo("10.0.0.2");
    }

    @Test
    void pingOverAnIcmpDatagramSocket() {
        World w = run("""
                p { kind = ping, dst = "10.0.0.2", count = 5, interval = 10ms }
                |
                """);
        Map<String, Object> p = result(w, "p");
        assertThat(l(p, "transmitted")).isEqualTo(5);
        assertThat(l(p, "received")).isEqualTo(5);
        assertThat(l(p, "rtt_min_ns")).isPositive();
        assertThat(l(p, "rtt_max_ns")).isGreaterThanOrEqualTo(l(p, "rtt_avg_ns"));
        assertThat(l(p, "rtt_avg_ns")).isGreaterThanOrEqualTo(l(p, "rtt_min_ns"));
        assertThat((String) p.get("summary")).contains("5 packets transmitted, 5 received, 0% packet loss", "rtt min/avg/max/mdev = ");
        assertThat(w.host("a").mib("IcmpOutEchos").get()).isEqualTo(5);
    }

    @Test
    void pingSocketsNeedTheGroupRange() {
        World w = TestWorlds.build("""
                linuxnet { hosts { a { cpus = 1, sysctl { "net.ipv4.ping_group_range" = "1 0" } } } }
                """);
        Host a = w.host("a");
        assertThat(a.socket(2, 2, 1)).isEqualTo(-Errno.EACCES);
        a.sysctl().set("net.ipv4.ping_group_range", "0 0");
        int fd = a.socket(2, 2, 1);
        assertThat(fd).isGreaterThanOrEqualTo(3);
        SockaddrIn sin = new SockaddrIn();
        assertThat(a.bind(fd, new SockaddrIn(0, 0))).isZero();
        assertThat(a.getsockname(fd, sin)).isZero();
        assertThat(sin.port).isPositive();
        w.run(null);
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothingPerPacket() {
        // the pool without debug poisoning, which would allocate a fresh header per skb
        World w = WorldBuilder.build(ScenarioLoader.merge(
                ScenarioLoader.parseString("""
                linuxnet {
                  run { duration = 1s, seed = 5 }
                  hosts {
                    a { cpus = 1
                        devices { veth0 { driver = veth, peer = b.veth0, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                        apps { tx { kind = udp-sender, dst = "10.0.0.2:9000", rate = 50kpps, size = 100, flows = 4 } } }
                    b { cpus = 1
                        devices { veth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                        apps { rx { kind = udp-sink, port = 9000 } } }
                  }
                }
                """, "test.conf"), Map.of(), TestWorlds.plugins().referenceConfig()), TestWorlds.plugins(), false);
        w.runUntil(50_000_000L);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long out0 = w.host("a").mib("UdpOutDatagrams").get();
        w.runUntil(150_000_000L);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        long packets = w.host("a").mib("UdpOutDatagrams").get() - out0;
        w.finish();
        assertThat(packets).isGreaterThan(4000);
        assertThat(allocated / packets).as("bytes allocated per datagram (%d in all)", allocated).isLessThan(8);
    }

    @Test
    void badOptionsAreRefusedWithTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestWorlds.build("""
                linuxnet { hosts { a { cpus = 1, apps { tx { kind = udp-sender, dst = "10.0.0.2" } } } } }
                """)).hasMessageContaining("dst").hasMessageContaining("has no port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestWorlds.build("""
                linuxnet { hosts { a { cpus = 1, apps { rx { kind = udp-sink, port = 9000, cpu = 3 } } } } }
                """)).hasMessageContaining("cpu 3 does not exist");
    }
}
