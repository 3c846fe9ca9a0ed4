package net.linuxnet.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.linuxnet.distribution.Linuxnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic control through the {@code linuxnet} command: the qdisc tree ({@code mq} and its
 * children), the ingress qdisc with its filters, and {@code ifb}; read back from the JSON
 * report's {@code qdiscs} and {@code filters} rows.
 */
final class TcScenarioTest {
    private static final Path EXAMPLES = LinuxnetRuns.EXAMPLES;

    @TempDir
    Path tmp;

    private Config run(Path file, String... args) throws IOException {
        return LinuxnetRuns.run(tmp, file, args);
    }

    private Config runString(String scenario, String... args) throws IOException {
        Path f = tmp.resolve("scenario-" + System.nanoTime() + ".conf");
        Files.writeString(f, scenario);
        return run(f, args);
    }

    /** The errors of a scenario the command refuses. */
    private String refuse(String scenario) throws IOException {
        Path f = tmp.resolve("bad-" + System.nanoTime() + ".conf");
        Files.writeString(f, scenario);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Linuxnet.execute(new String[] {"run", f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isNotZero();
        return err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
    }

    private static Config row(Config hosts, String host, String dev, String handle) {
        for (Config q : hosts.getConfigList(host + ".qdiscs")) {
            if (q.getString("dev").equals(dev) && q.getString("handle").equals(handle)) {
                return q;
            }
        }
        throw new AssertionError("no qdisc " + handle + " on " + host + "." + dev + " in " + hosts.getList(host + ".qdiscs"));
    }

    @Test
    void ingressRedirectThroughIfbRunsTheDownloadThroughIfbsQdisc() throws IOException {
        Config h = run(EXAMPLES.resolve("ingress-ifb.conf"));
        long sent = h.getLong("a.apps.sender.sent");
        long received = h.getLong("b.apps.sink.received");
        Config ifbRoot = row(h, "b", "ifb0", "1:");
        Config ingress = row(h, "b", "eth0", "ffff:");
        assertThat(ingress.getString("kind")).isEqualTo("ingress");
        assertThat(ingress.getString("parent")).isEqualTo("ffff:fff1");
        assertThat(ifbRoot.getString("kind")).isEqualTo("pfifo");
        assertThat(ifbRoot.getLong("dropped")).isPositive();
        assertThat(h.getLong("b.drop_reasons.QDISC_DROP")).isEqualTo(ifbRoot.getLong("dropped"));
        assertThat(received).isPositive().isLessThan(sent);
        // every datagram was redirected; those the pfifo dropped never reached the socket
        Config f = h.getConfigList("b.filters").get(0);
        assertThat(f.getString("kind")).isEqualTo("u32");
        assertThat(f.getString("action")).contains("Redirect to device ifb0");
        assertThat(f.getLong("sent_packets")).isEqualTo(sent);
        assertThat(received + ifbRoot.getLong("dropped")).isEqualTo(sent);
        assertThat(h.getLong("b.links.ifb0.tx_packets")).isEqualTo(received);
    }

    private static final String MQ = """
            linuxnet {
              run { duration = 20ms, seed = 3 }
              hosts {
                a {
                  sysctl { "net.core.default_qdisc" = pfifo }
                  devices { eth0 { driver = veth, peer = "b.eth0", queues = 4, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                  qdiscs { eth0 { root { kind = mq }, "1:2" { kind = bfifo, limit = 30kb } } }
                  apps { sender { kind = udp-sender, dst = "10.0.0.2:9000", rate = 50kpps, size = 64, flows = 64 } }
                }
                b {
                  devices { eth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                  apps { sink { kind = udp-sink, port = 9000 } }
                }
              }
            }
            """;

    @Test
    void mqHasOneChildPerTxQueueAndItsCountersAreTheirSum() throws IOException {
        Config h = runString(MQ);
        Config mq = row(h, "a", "eth0", "1:");
        assertThat(mq.getString("kind")).isEqualTo("mq");
        assertThat(mq.getString("parent")).isEqualTo("root");
        List<? extends Config> children = h.getConfigList("a.qdiscs").stream()
                .filter(q -> q.getString("dev").equals("eth0") && q.getString("parent").startsWith("1:")).toList();
        assertThat(children).extracting(q -> q.getString("parent")).containsExactly("1:1", "1:2", "1:3", "1:4");
        assertThat(children).extracting(q -> q.getString("kind")).containsExactly("pfifo", "bfifo", "pfifo", "pfifo");
        assertThat(children).extracting(q -> q.getString("handle")).containsOnly("0:");
        long sum = children.stream().mapToLong(q -> q.getLong("sent_packets")).sum();
        assertThat(mq.getLong("sent_packets")).isEqualTo(sum).isEqualTo(h.getLong("a.links.eth0.tx_packets"));
        // skb_tx_hash spreads the 64 flows over the queues
        assertThat(children).allSatisfy(q -> assertThat(q.getLong("sent_packets")).isPositive());
        assertThat(h.getLong("b.apps.sink.received")).isEqualTo(h.getLong("a.apps.sender.sent"));
    }

    @Test
    void badQdiscTreesAreRefusedBeforeTheRun() throws IOException {
        String base = """
                linuxnet {
                  run { duration = 1ms }
                  hosts { a {
                    sysctl { "net.core.default_qdisc" = pfifo }
                    devices { eth0 { driver = veth, peer = "a.eth1", queues = 2 }, eth1 { driver = veth }, lo1 { driver = veth, peer = "a.lo2" }, lo2 { driver = veth } }
                    qdiscs { %s }
                  } }
                }
                """;
        assertThat(refuse(base.formatted("eth0 { root { kind = mq }, \"1:3\" { kind = pfifo } }")))
                .contains("qdiscs.eth0.\"1:3\": no such parent (expected: root, ingress, or a class of mq 1: from 1:1 to 1:2)");
        assertThat(refuse(base.formatted("lo1.root { kind = mq }"))).contains("mq needs a multiqueue device");
        assertThat(refuse(base.formatted("eth0 { root { kind = mq }, \"1:1\" { kind = mq } }"))).contains("'mq' cannot be a class of mq");
        assertThat(refuse(base.formatted("eth0.root { kind = ingress }"))).contains("ingress attaches at ingress only");
        assertThat(refuse(base.formatted("eth0.ingress { kind = pfifo }"))).contains("'pfifo' is not an ingress qdisc");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { kind = u32, dst = \"10.0.0.300/24\", action = drop } ] }")))
                .contains("'10.0.0.300/24' is not an IPv4 prefix");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { kind = matchall, dport = 9, action = drop } ] }")))
                .contains("matchall matches every packet");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { action = \"mirred egress redirect dev ifb9\" } ] }")))
                .contains("mirred: no device 'ifb9'");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { action = reject } ] }"))).contains("'reject' is not an action");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { action = drop, dprot = 1 } ] }"))).contains("dprot: unknown filter key");
        assertThat(refuse(base.formatted("eth0.ingress { filters = [ { kind = u32, ip_proto = sctpx, action = drop } ] }")))
                .contains("'sctpx' is not an IP protocol");
    }

    private static final String DROP = """
            linuxnet {
              run { duration = 10ms, seed = 3 }
              hosts {
                a {
                  devices { eth0 { driver = veth, peer = "b.eth0", mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                  apps { s1 { kind = udp-sender, dst = "10.0.0.2:9000", rate = 10kpps, size = 64 },
                         s2 { kind = udp-sender, dst = "10.0.0.2:9001", rate = 10kpps, size = 64 } }
                }
                b {
                  devices { eth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] } }
                  qdiscs { eth0.ingress { filters = [
                    { pref = 10, kind = u32, protocol = ip, src = "10.0.0.0/24", ip_proto = udp, dport = 9001, action = drop },
                    { pref = 20, kind = matchall, protocol = ip, action = pass } ] } }
                  apps { k1 { kind = udp-sink, port = 9000 }, k2 { kind = udp-sink, port = 9001 } }
                }
              }
            }
            """;

    @Test
    void ingressGactDropsWithTcIngressAndPassLetsTheRestThrough() throws IOException {
        Config h = runString(DROP);
        long s1 = h.getLong("a.apps.s1.sent");
        long s2 = h.getLong("a.apps.s2.sent");
        assertThat(h.getLong("b.apps.k1.received")).isEqualTo(s1);
        assertThat(h.getLong("b.apps.k2.received")).isZero();
        assertThat(h.getLong("b.drop_reasons.TC_INGRESS")).isEqualTo(s2);
        Config ingress = row(h, "b", "eth0", "ffff:");
        assertThat(ingress.getLong("dropped")).isEqualTo(s2);
        List<? extends Config> f = h.getConfigList("b.filters");
        assertThat(f).extracting(x -> x.getInt("pref")).containsExactly(10, 20);
        assertThat(f.get(0).getLong("sent_packets")).isEqualTo(s2);
        assertThat(f.get(0).getLong("dropped")).isEqualTo(s2);
        assertThat(f.get(1).getLong("sent_packets")).isEqualTo(s1);
    }

    private static final String REPLACE = """
            linuxnet {
              run { duration = 20ms, seed = 3 }
              hosts {
                a {
                  sysctl { "net.core.default_qdisc" = pfifo }
                  devices { eth0 { driver = veth, peer = "b.eth0", queues = 2, mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] },
                            eth1 { driver = veth, peer = "b.eth1", mac = "02:00:00:00:00:1a", addresses = ["10.0.1.1/24"] } }
                  qdiscs { eth0.root { kind = mq } }
                  tc = [ { at = 10ms, qdisc = replace, dev = eth1, kind = bfifo, limit = 10kb },
                         { at = 10ms, qdisc = replace, dev = eth0, parent = "1:2", kind = pfifo, limit = 7 } ]
                  apps { s0 { kind = udp-sender, dst = "10.0.0.2:9000", rate = 10kpps, size = 64, flows = 32 },
                         s1 { kind = udp-sender, dst = "10.0.1.2:9000", rate = 10kpps, size = 64 } }
                }
                b {
                  devices { eth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] },
                            eth1 { driver = veth, mac = "02:00:00:00:00:1b", addresses = ["10.0.1.2/24"] } }
                  apps { k0 { kind = udp-sink, port = 9000 } }
                }
              }
            }
            """;

    @Test
    void tcQdiscReplaceAtATimeGraftsTheNewQdisc() throws IOException {
        Config h = runString(REPLACE);
        Config eth1 = row(h, "a", "eth1", "8001:");
        assertThat(eth1.getString("kind")).isEqualTo("bfifo");
        assertThat(eth1.getString("parent")).isEqualTo("root");
        long s1 = h.getLong("a.apps.s1.sent");
        // noqueue until 10 ms, then the bfifo: about half of the datagrams went through it
        assertThat(eth1.getLong("sent_packets")).isBetween(s1 / 2 - 5, s1 / 2 + 5);
        List<? extends Config> children = h.getConfigList("a.qdiscs").stream()
                .filter(q -> q.getString("dev").equals("eth0") && q.getString("parent").startsWith("1:")).toList();
        assertThat(children).extracting(q -> q.getString("kind") + " " + q.getString("options"))
                .containsExactly("pfifo limit 1000p", "pfifo limit 7p");
        assertThat(h.getLong("b.apps.k0.received")).isEqualTo(h.getLong("a.apps.s0.sent") + s1);
    }

    @Test
    void tcQdiscDeleteGivesANoQueueDeviceBackItsNoqueue() throws IOException {
        Config h = runString(REPLACE.replace("{ at = 10ms, qdisc = replace, dev = eth0, parent = \"1:2\", kind = pfifo, limit = 7 }",
                "{ at = 15ms, qdisc = delete, dev = eth1 }"));
        Config eth1 = h.getConfigList("a.qdiscs").stream().filter(q -> q.getString("dev").equals("eth1")).findFirst().orElseThrow();
        assertThat(eth1.getString("kind")).isEqualTo("noqueue");
        assertThat(h.getLong("b.apps.k0.received")).isEqualTo(h.getLong("a.apps.s0.sent") + h.getLong("a.apps.s1.sent"));
    }

    @Test
    void badTcCommandsAreRefusedBeforeTheRun() throws IOException {
        String base = """
                linuxnet {
                  run { duration = 1ms }
                  hosts { a {
                    sysctl { "net.core.default_qdisc" = pfifo }
                    devices { eth0 { driver = veth, peer = "a.eth1", queues = 2 }, eth1 { driver = veth } }
                    qdiscs { eth0.root { kind = mq } }
                    tc = [ %s ]
                  } }
                }
                """;
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = replace, dev = eth1, kind = tbff }"))).contains("unknown qdisc 'tbff'");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = replace, dev = eth1, kind = pfifo, limit = -1 }"))).contains("limit");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = replace, dev = eth1, kind = pfifo, limt = 5 }"))).contains("limt: unknown key");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = add, dev = eth1, kind = pfifo }"))).contains("qdisc");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = delete, dev = eth0, parent = \"1:1\" }"))).contains("root only");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = delete, dev = eth1, kind = pfifo }"))).contains("kind: unknown key");
        assertThat(refuse(base.formatted("{ qdisc = replace, dev = eth1, kind = pfifo }"))).contains(".at: missing");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = replace, dev = eth9, kind = pfifo }"))).contains("no such device 'eth9'");
        assertThat(refuse(base.formatted("{ at = 1ms, qdisc = replace, dev = eth0, parent = \"1:5\", kind = pfifo }")))
                .contains("'1:5' is not a class of eth0's root (expected: root, or 1:1 to 1:2)");
    }

    private static final String MIRROR = """
            linuxnet {
              run { duration = 10ms, seed = 3 }
              hosts {
                a {
                  devices { eth0 { driver = veth, peer = "b.eth0", mac = "02:00:00:00:00:0a", addresses = ["10.0.0.1/24"] } }
                  apps { s { kind = udp-sender, dst = "10.0.0.2:9000", rate = 10kpps, size = 64 } }
                }
                b {
                  devices { eth0 { driver = veth, mac = "02:00:00:00:00:0b", addresses = ["10.0.0.2/24"] },
                            mon0 { driver = veth, peer = "c.mon0", mac = "02:00:00:00:00:1b" } }
                  qdiscs { eth0.ingress { filters = [ { kind = u32, ip_proto = udp, dport = 9000, action = "mirred egress mirror dev mon0" } ] } }
                  apps { k { kind = udp-sink, port = 9000 } }
                }
                c {
                  devices { mon0 { driver = veth, mac = "02:00:00:00:00:1c" } }
                  apps { tap { kind = af-packet, dev = mon0 } }
                }
              }
            }
            """;

    @Test
    void mirredMirrorSendsACopyOutAndTheOriginalGoesOn() throws IOException {
        Config h = runString(MIRROR);
        long sent = h.getLong("a.apps.s.sent");
        assertThat(sent).isPositive();
        assertThat(h.getLong("b.apps.k.received")).isEqualTo(sent);
        assertThat(h.getLong("c.apps.tap.received")).isEqualTo(sent);
        assertThat(h.getLong("b.links.mon0.tx_packets")).isEqualTo(sent);
        // the copy leaves with its Ethernet header: 64 + 8 + 20 + 14 bytes
        assertThat(h.getLong("b.links.mon0.tx_bytes")).isEqualTo(sent * 106);
        Config f = h.getConfigList("b.filters").get(0);
        assertThat(f.getString("action")).isEqualTo("mirred (Egress Mirror to device mon0) pipe");
        assertThat(f.getLong("sent_packets")).isEqualTo(sent);
    }

    @Test
    void aTapSeesAFrameOnceEvenWhenIfbSendsItBack() throws IOException {
        Path conf = tmp.resolve("ifb-tap.conf");
        Files.writeString(conf, Files.readString(EXAMPLES.resolve("ingress-ifb.conf"))
                .replace("apps { sink { kind = udp-sink, port = 9000 } }",
                        "apps { sink { kind = udp-sink, port = 9000 }, tap { kind = af-packet, dev = eth0 } }"));
        Config h = run(conf);
        assertThat(h.getLong("b.apps.tap.received")).isEqualTo(h.getLong("b.links.eth0.rx_packets"));
        assertThat(h.getLong("b.apps.sink.received")).isPositive();
    }

    /**
     * The must-show with a shaper: a download redirected through ifb0, whose root is a
     * {@code tbf} of 10 mbit, arrives at about 10 mbit. The sender, offering 40 Mbit/s, is
     * held back by its own send buffer and tbf drops nothing: since Linux 4.19
     * {@code skb_scrub_packet} keeps the sending socket's reference when veth crosses to
     * another namespace, so the datagrams waiting in b's tbf stay charged to a's socket until
     * {@code ip_rcv} orphans them.
     */
    @Test
    void ingressShapedThroughIfbByTbfArrivesAtTheTbfRate() throws IOException {
        Path conf = tmp.resolve("ifb-tbf.conf");
        Files.writeString(conf, Files.readString(EXAMPLES.resolve("ingress-ifb.conf"))
                .replace("run { duration = 100ms, seed = 1 }", "run { duration = 1s, seed = 1 }")
                .replace("rate = 10kpps, size = 64, burst = 100", "rate = 5kpps, size = 958")
                .replace("ifb0.root { kind = pfifo, limit = 10 }", "ifb0.root { kind = tbf, rate = 10mbit, burst = 32kb, latency = 50ms }"));
        Config h = run(conf);
        long received = h.getLong("b.apps.sink.received");
        // 1000-byte frames (958 + 8 + 20 + 14) at 10 mbit: 1250 a second, plus the 32 KiB burst
        assertThat(received).isBetween(1150L, 1300L + 33);
        assertThat(row(h, "b", "ifb0", "1:").getLong("dropped")).isZero();
        assertThat(row(h, "b", "ifb0", "1:").getLong("overlimits")).isPositive();
        assertThat(h.getLong("a.apps.sender.blocked")).isPositive();
    }
}
