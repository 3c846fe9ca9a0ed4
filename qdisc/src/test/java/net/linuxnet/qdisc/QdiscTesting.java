package net.linuxnet.qdisc;

import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.testing.TestWorlds;

/**
 * An embedded qdisc: one host with one {@code testnic} device {@code d} (which sends every
 * frame at once) whose root qdisc is the one under test, on the simulated clock.
 */
public final class QdiscTesting {
    public final World world;
    public final Host host;
    public final NetDevice dev;

    private QdiscTesting(String rootQdisc, String sysctl) {
        world = TestWorlds.build("linuxnet { run.drain = 0s, hosts.h { cpus = 1, devices { d { driver = testnic } }"
                + (rootQdisc == null ? "" : ", qdiscs { d.root { " + rootQdisc + " } }")
                + (sysctl == null ? "" : ", sysctl { " + sysctl + " }") + " } }");
        host = world.host("h");
        dev = host.devGetByName("d");
    }

    /** A device {@code d} with root qdisc {@code options} ({@code "kind = tbf, rate = 1mbit, ..."}). */
    public static QdiscTesting withRoot(String options) {
        return new QdiscTesting(options, null);
    }

    /** A device {@code d} with the default qdisc. */
    public static QdiscTesting withDefault() {
        return new QdiscTesting(null, null);
    }

    /** A frame of {@code len} bytes with {@code skb->priority} {@code priority}, through {@code dev_queue_xmit}. */
    public int xmit(int len, int priority) {
        SkBuff skb = host.allocSkb(len);
        skb.put(len);
        skb.setDev(dev);
        skb.setPriority(priority);
        return host.devQueueXmit(skb);
    }

    public int xmit(int len) {
        return xmit(len, 0);
    }

    /** Runs the clock until {@code ns}. */
    public void runUntil(long ns) {
        world.runUntil(ns);
    }

    /** Frames the device sent. */
    public long txPackets() {
        return dev.stats().txPackets;
    }

    /** Ends the run: purges what is left, so the leak check balances. */
    public void finish() {
        world.finish();
    }
}
