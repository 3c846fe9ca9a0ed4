package net.linuxnet.drivers.ifb;

import java.util.List;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NetdevQueue;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkBuffHead;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.drivers.EtherDevice;

/**
 * The Intermediate Functional Block device, after {@code drivers/net/ifb.c} of Linux 6.18:
 * packets a {@code mirred} action redirects to it pass through its own root qdisc (so
 * ingress traffic can be shaped) and then go on where they came from.
 *
 * <p>{@code ifb_xmit}: a packet that was not redirected ({@code !skb->redirected}) or has no
 * {@code skb_iif} is freed ({@code dev_kfree_skb}, a consume) and counted in {@code rx_dropped}; otherwise it is counted in the
 * ifb's rx counters, queued on {@code rq} (the TX queue stops when {@code rq} reaches
 * {@code tx_queue_len}), and the tasklet is scheduled. {@code ifb_ri_tasklet} (modelled as a
 * timer that expires at once) moves {@code rq} to {@code tq} and, for each packet, clears the
 * redirect mark, sets {@code tc_skip_classify}, counts it in the tx counters, makes the
 * device it came in on ({@code skb_iif}) its device again and {@code skb_iif} the ifb's
 * index; from ingress it pulls the MAC header back and calls {@code netif_receive_skb}, which
 * skips the ingress filters once and delivers it to the protocol handlers; from egress it
 * calls {@code dev_queue_xmit}. When {@code rq} is empty the queue wakes.
 *
 * <pre>
 *  eth0 ingress: mirred redirect -> dev_queue_xmit(ifb0) -> ifb0 root qdisc -> ifb_xmit
 *     -> rq -> tasklet -> skb.dev = eth0 -> netif_receive_skb (skip classify) -> ip_rcv
 * </pre>
 *
 * <p>{@code ifb_setup}: Ethernet, {@code tx_queue_len} 32 ({@code TX_Q_LIMIT}),
 * {@code IFF_NOARP}, a random address, and a qdisc (it is not {@code IFF_NO_QUEUE}).
 */
public final class Ifb implements NetDeviceDriver, NetDeviceOps {

    /** The link kind. */
    public static final String KIND = "ifb";
    /** {@code TX_Q_LIMIT}: the default {@code tx_queue_len}. */
    public static final int TX_Q_LIMIT = 32;

    /** {@code struct ifb_q_private} of the one queue, with its counters ({@code ifb_q_stats}). */
    static final class IfbQPrivate {
        final SkBuffHead rq = new SkBuffHead();
        final SkBuffHead tq = new SkBuffHead();
        boolean taskletPending;
        TimerList tasklet;
        long rxPackets;
        long rxBytes;
        long txPackets;
        long txBytes;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** {@code ifb_setup}. */
    @Override
    public void setup(NetDevice dev) {
        EtherDevice.etherSetup(dev);
        dev.setTxQueueLen(TX_Q_LIMIT);
        dev.setFlags(dev.flags() | NetDevice.IFF_NOARP);
        dev.setPrivFlags(dev.privFlags() & ~NetDevice.IFF_NO_QUEUE);
        dev.setMtuRange(0, Integer.MAX_VALUE);
        dev.setKind(KIND);
        dev.setOps(this);
        dev.setPriv(new IfbQPrivate());
        EtherDevice.ethHwAddrRandom(dev);
    }

    /** {@code ifb_dev_init}: the tasklet. An ifb reads no options. */
    @Override
    public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        IfbQPrivate txp = dev.priv();
        txp.tasklet = dev.kernel().timerSetup(t -> riTasklet(dev));
    }

    /** {@code ifb_xmit}. */
    @Override
    public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
        IfbQPrivate txp = dev.priv();
        txp.rxPackets++;
        txp.rxBytes += skb.len();
        if (!skb.redirected() || skb.skbIif() == 0) {
            dev.stats().rxDropped++;
            dev.kernel().consumeSkb(skb);   // dev_kfree_skb
            return NetdevTx.NETDEV_TX_OK;
        }
        if (txp.rq.qlen() >= dev.txQueueLen()) {
            dev.txQueue(0).stopQueue();
        }
        txp.rq.queueTail(skb);
        if (!txp.taskletPending) {
            txp.taskletPending = true;
            txp.tasklet.mod(dev.kernel().ktimeGetNs());
        }
        return NetdevTx.NETDEV_TX_OK;
    }

    /** {@code ifb_ri_tasklet}. */
    private void riTasklet(NetDevice dev) {
        IfbQPrivate txp = dev.priv();
        Kernel kernel = dev.kernel();
        if (txp.tq.isEmpty()) {
            txp.rq.spliceTailInit(txp.tq);
        }
        SkBuff skb;
        while ((skb = txp.tq.dequeue()) != null) {
            skb.resetRedirect();
            skb.setTcSkipClassify(true);
            txp.txPackets++;
            txp.txBytes += skb.len();
            NetDevice orig = devGetByIndex(kernel, skb.skbIif());
            if (orig == null) {
                dev.stats().txDropped++;
                kernel.consumeSkb(skb);   // dev_kfree_skb
                continue;
            }
            skb.setDev(orig);
            skb.setSkbIif(dev.ifindex());
            if (!skb.fromIngress()) {
                kernel.devQueueXmit(skb);
            } else {
                skb.pull(skb.networkHeader() - skb.macHeader());
                kernel.netifReceiveSkb(skb);
            }
        }
        if (txp.rq.isEmpty()) {
            txp.taskletPending = false;
            NetdevQueue txq = dev.txQueue(0);
            if (txq.stopped()) {
                txq.wakeQueue();
            }
        } else {
            txp.tasklet.mod(kernel.ktimeGetNs());
        }
    }

    private static NetDevice devGetByIndex(Kernel kernel, int ifindex) {
        List<NetDevice> devs = kernel.devices();
        for (int i = 0; i < devs.size(); i++) {
            if (devs.get(i).ifindex() == ifindex) {
                return devs.get(i);
            }
        }
        return null;
    }

    /** {@code ifb_close}/{@code ifb_dev_free}: frees what the queues hold. */
    @Override
    public int ndoStop(NetDevice dev) {
        IfbQPrivate txp = dev.priv();
        SkBuff skb;
        while ((skb = txp.rq.dequeue()) != null) {
            dev.kernel().kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
        }
        while ((skb = txp.tq.dequeue()) != null) {
            dev.kernel().kfreeSkbReason(skb, SkbDropReason.QUEUE_PURGE);
        }
        if (txp.tasklet != null) {
            txp.tasklet.del();
        }
        txp.taskletPending = false;
        return NetDeviceOps.super.ndoStop(dev);
    }

    /** {@code ifb_stats64}: the per-queue rx and tx counters, plus the core's drops. */
    @Override
    public void ndoGetStats64(NetDevice dev, RtnlLinkStats64 out) {
        IfbQPrivate txp = dev.priv();
        out.copyFrom(dev.stats());
        out.rxPackets += txp.rxPackets;
        out.rxBytes += txp.rxBytes;
        out.txPackets += txp.txPackets;
        out.txBytes += txp.txBytes;
    }
}
