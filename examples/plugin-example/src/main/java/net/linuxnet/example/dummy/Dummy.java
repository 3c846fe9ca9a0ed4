package net.linuxnet.example.dummy;

import java.util.Arrays;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.net.EthtoolOps;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.RtnlLinkStats64;
import net.linuxnet.api.net.SkBuff;

/**
 * A device that sends nowhere: a route can point through it, and everything transmitted is
 * counted and freed. Follows {@code drivers/net/dummy.c}; written against the plugin API
 * alone, as a third-party driver would be.
 *
 * <p>{@code dummy_xmit} counts the packet in {@code tx_packets}/{@code tx_bytes} and frees
 * it as delivered ({@code dev_kfree_skb}, which is {@code consume_skb}): no drop is counted.
 * {@code dummy_get_stats64} reports only those transmit counters.
 *
 * <p>{@code dummy_setup}: {@code ether_setup}, then {@code IFF_NOARP} set and
 * {@code IFF_MULTICAST} cleared, no qdisc and live address change
 * ({@code IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE}), a random address, and an MTU anywhere in
 * [0, {@code ETH_MAX_MTU}]. It accepts no options.
 */
public final class Dummy implements NetDeviceDriver, NetDeviceOps, EthtoolOps {

    /** {@code DRV_NAME}. */
    public static final String DRV_NAME = "dummy";
    /** The cost stage charged per packet. */
    public static final String COST_STAGE = "dummy_xmit";
    /** {@code ETH_MAX_MTU}. */
    static final int ETH_MAX_MTU = 0xFFFF;
    /** {@code ETH_MIN_MTU}. */
    static final int ETH_MIN_MTU = 68;

    @Override
    public String kind() {
        return DRV_NAME;
    }

    /** {@code dummy_setup}. */
    @Override
    public void setup(NetDevice dev) {
        etherSetup(dev);
        dev.setFlags((dev.flags() | NetDevice.IFF_NOARP) & ~NetDevice.IFF_MULTICAST);
        dev.setPrivFlags(dev.privFlags() | NetDevice.IFF_LIVE_ADDR_CHANGE | NetDevice.IFF_NO_QUEUE);
        dev.setMtuRange(0, ETH_MAX_MTU);
        dev.setKind(DRV_NAME);
        dev.setOps(this);
        dev.setEthtoolOps(this);
        dev.setPriv(new DummyPriv());
        ethHwAddrRandom(dev);
    }

    /** Looks up the cost stage; reads no option, so any key is reported unknown. */
    @Override
    public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        DummyPriv priv = dev.priv();
        priv.xmitCost = dev.kernel().costStage(COST_STAGE);
    }

    /** {@code dummy_xmit}: count, then free as delivered. */
    @Override
    public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
        DummyPriv priv = dev.priv();
        int len = skb.len();
        dev.kernel().charge(priv.xmitCost, len);
        priv.txPackets++;
        priv.txBytes += len;
        dev.kernel().consumeSkb(skb);
        return NetdevTx.NETDEV_TX_OK;
    }

    /** {@code dummy_get_stats64}: the transmit counters. */
    @Override
    public void ndoGetStats64(NetDevice dev, RtnlLinkStats64 out) {
        DummyPriv priv = dev.priv();
        out.copyFrom(dev.stats());
        out.txPackets += priv.txPackets;
        out.txBytes += priv.txBytes;
    }

    /** {@code dummy_get_drvinfo}. */
    @Override
    public String driverName(NetDevice dev) {
        return DRV_NAME;
    }

    /** {@code ether_setup} in {@code net/ethernet/eth.c}. */
    private static void etherSetup(NetDevice dev) {
        dev.setType(IfEther.ARPHRD_ETHER);
        dev.setHardHeaderLen(IfEther.ETH_HLEN);
        dev.setMtu(IfEther.ETH_DATA_LEN);
        dev.setMtuRange(ETH_MIN_MTU, IfEther.ETH_DATA_LEN);
        dev.setTxQueueLen(NetDevice.DEFAULT_TX_QUEUE_LEN);
        dev.setFlags(NetDevice.IFF_BROADCAST | NetDevice.IFF_MULTICAST);
        Arrays.fill(dev.broadcast(), (byte) 0xff);
    }

    /** {@code eth_hw_addr_random}: unicast, locally administered, from the host's seeded random source. */
    private static void ethHwAddrRandom(NetDevice dev) {
        byte[] addr = new byte[IfEther.ETH_ALEN];
        dev.kernel().random().nextBytes(addr);
        addr[0] &= (byte) 0xfe;
        addr[0] |= (byte) 0x02;
        dev.setDevAddr(addr);
    }
}
