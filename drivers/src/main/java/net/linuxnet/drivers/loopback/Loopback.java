package net.linuxnet.drivers.loopback;

import java.util.Arrays;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkBuff;

/**
 * The loopback device {@code lo}: every frame sent is received again on the same host.
 * Follows {@code drivers/net/loopback.c}.
 *
 * <p>The algorithm of {@code loopback_xmit}: clear the time stamp, let {@code eth_type_trans}
 * pull the (all-zero) Ethernet header and set the protocol, measure the packet, and queue it
 * with {@code __netif_rx} to the current CPU's backlog. Only when the backlog took it are the
 * packet and its length counted, once, in the device's lstats; {@code loopback_get_stats64}
 * reports those as both {@code rx_*} and {@code tx_*}. A packet the backlog refused is
 * counted by the core (softnet {@code dropped}, drop reason {@code CPU_BACKLOG}), not here.
 *
 * <p>Setup ({@code loopback_setup}, {@code gen_lo_setup}): MTU 64 KiB, Ethernet header
 * length, type {@code ARPHRD_LOOPBACK}, flag {@code IFF_LOOPBACK}, no qdisc
 * ({@code IFF_NO_QUEUE}), address and broadcast all zero, one queue. It accepts no options.
 *
 * <p>One stateless instance serves as the driver and as {@code loopback_ops}; each device's
 * counters are its {@link Lstats}.
 */
public final class Loopback implements NetDeviceDriver, NetDeviceOps {

    /** The link kind. */
    public static final String KIND = "loopback";
    /** The cost stage charged per looped packet. */
    public static final String COST_STAGE = "loopback_xmit";
    /** The loopback MTU, {@code 64 * 1024}. */
    public static final int LOOPBACK_MTU = 64 * 1024;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int maxQueues() {
        return 1;
    }

    /**
     * {@code loopback_setup}. {@code gen_lo_setup} sets neither {@code min_mtu} nor
     * {@code max_mtu}, which the kernel reads as no bound; the range here says the same.
     */
    @Override
    public void setup(NetDevice dev) {
        dev.setMtu(LOOPBACK_MTU);
        dev.setMtuRange(0, Integer.MAX_VALUE);
        dev.setHardHeaderLen(IfEther.ETH_HLEN);
        dev.setType(IfEther.ARPHRD_LOOPBACK);
        dev.setFlags(NetDevice.IFF_LOOPBACK);
        dev.setPrivFlags(dev.privFlags() | NetDevice.IFF_LIVE_ADDR_CHANGE | NetDevice.IFF_NO_QUEUE);
        dev.setTxQueueLen(NetDevice.DEFAULT_TX_QUEUE_LEN);
        dev.setDevAddr(new byte[IfEther.ETH_ALEN]);
        Arrays.fill(dev.broadcast(), (byte) 0);
        dev.setKind(KIND);
        dev.setOps(this);
        dev.setPriv(new Lstats());
    }

    /**
     * {@code loopback_dev_init}: looks up the cost stage when the device registers, so the
     * host's own {@code lo} works whether or not the core runs {@link #newLink} for it.
     */
    @Override
    public int ndoInit(NetDevice dev) {
        Lstats lstats = dev.priv();
        lstats.xmitCost = dev.kernel().costStage(COST_STAGE);
        return 0;
    }

    /** Looks up the cost stage. The loopback device reads no option, so any key is reported unknown. */
    @Override
    public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        Lstats lstats = dev.priv();
        lstats.xmitCost = dev.kernel().costStage(COST_STAGE);
    }

    /** {@code loopback_xmit}, in softirq or process context; always takes the skb. */
    @Override
    public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
        Lstats lstats = dev.priv();
        Kernel kernel = dev.kernel();
        kernel.charge(lstats.xmitCost, skb.len());

        skb.setTstamp(0); // skb_clear_tstamp
        skb.setProtocol(kernel.ethTypeTrans(skb, dev));

        int len = skb.len();
        if (kernel.netifRx(skb) == NetRx.NET_RX_SUCCESS) {
            // dev_lstats_add(dev, len)
            lstats.packets++;
            lstats.bytes += len;
        }
        return NetdevTx.NETDEV_TX_OK;
    }

    /** {@code loopback_get_stats64}: the same lstats as receive and transmit counters. */
    @Override
    public void ndoGetStats64(NetDevice dev, RtnlLinkStats64 out) {
        Lstats lstats = dev.priv();
        out.copyFrom(dev.stats());
        out.rxPackets += lstats.packets;
        out.txPackets += lstats.packets;
        out.rxBytes += lstats.bytes;
        out.txBytes += lstats.bytes;
    }
}
