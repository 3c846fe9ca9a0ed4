package net.linuxnet.drivers;

import java.util.Arrays;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;

/**
 * The Ethernet device defaults the drivers of this module share.
 *
 * <p>{@link #etherSetup} follows {@code ether_setup()} in {@code net/ethernet/eth.c}: Ethernet
 * type and header length, an MTU of 1500 within [68, 1500], the default {@code txqueuelen},
 * broadcast and multicast capable, and the all-ones broadcast address.
 * {@link #ethHwAddrRandom} follows {@code eth_hw_addr_random()} and {@code eth_random_addr()}
 * in {@code include/linux/etherdevice.h}: random octets with the multicast bit cleared and
 * the locally administered bit set, drawn from the host's seeded random source so a run
 * stays reproducible.
 */
public final class EtherDevice {

    /** {@code ETH_MIN_MTU}: the smallest MTU {@code ether_setup} allows. */
    public static final int ETH_MIN_MTU = 68;
    /** {@code ETH_MAX_MTU}: the largest 16-bit MTU, what virtual devices allow. */
    public static final int ETH_MAX_MTU = 0xFFFF;

    private EtherDevice() {
    }

    /** Fills {@code dev} with the Ethernet defaults ({@code ether_setup}). */
    public static void etherSetup(NetDevice dev) {
        dev.setType(IfEther.ARPHRD_ETHER);
        dev.setHardHeaderLen(IfEther.ETH_HLEN);
        dev.setMtu(IfEther.ETH_DATA_LEN);
        dev.setMtuRange(ETH_MIN_MTU, IfEther.ETH_DATA_LEN);
        dev.setTxQueueLen(NetDevice.DEFAULT_TX_QUEUE_LEN);
        dev.setFlags(NetDevice.IFF_BROADCAST | NetDevice.IFF_MULTICAST);
        Arrays.fill(dev.broadcast(), (byte) 0xff);
    }

    /** Gives {@code dev} a random, unicast, locally administered address ({@code eth_hw_addr_random}). */
    public static void ethHwAddrRandom(NetDevice dev) {
        byte[] addr = new byte[IfEther.ETH_ALEN];
        dev.kernel().random().nextBytes(addr);
        addr[0] &= (byte) 0xfe; // clear multicast bit
        addr[0] |= (byte) 0x02; // set local assignment bit (IEEE802)
        dev.setDevAddr(addr);
    }
}
