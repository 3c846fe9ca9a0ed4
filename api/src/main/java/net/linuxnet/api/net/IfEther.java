package net.linuxnet.api.net;

/** Ethernet constants from {@code include/uapi/linux/if_ether.h} and {@code if_arp.h}. */
public final class IfEther {
    /** Octets in one Ethernet address. */
    public static final int ETH_ALEN = 6;
    /** Total octets in the Ethernet header. */
    public static final int ETH_HLEN = 14;
    /** Minimum frame length without FCS. */
    public static final int ETH_ZLEN = 60;
    /** Maximum payload (the default MTU). */
    public static final int ETH_DATA_LEN = 1500;
    /** Maximum frame length without FCS. */
    public static final int ETH_FRAME_LEN = 1514;
    /** Octets in the FCS. */
    public static final int ETH_FCS_LEN = 4;

    /** Every packet; only for packet taps ({@code ptype_all}). */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_802_3_MIN = 0x0600;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_IPV6 = 0x86DD;

    /** {@code ARPHRD_ETHER}: the device type of Ethernet devices. */
    public static final int ARPHRD_ETHER = 1;
    /** {@code ARPHRD_LOOPBACK}. */
    public static final int ARPHRD_LOOPBACK = 772;

    /** {@code NET_SKB_PAD}: headroom {@code netdev_alloc_skb} reserves on x86_64. */
    public static final int NET_SKB_PAD = 64;
    /** {@code NET_IP_ALIGN}: 0 on x86. */
    public static final int NET_IP_ALIGN = 0;

    private IfEther() {
    }

    /** {@code is_multicast_ether_addr}. */
    public static boolean isMulticastEtherAddr(byte[] buf, int off) {
        return (buf[off] & 0x01) != 0;
    }

    /** {@code is_broadcast_ether_addr}. */
    public static boolean isBroadcastEtherAddr(byte[] buf, int off) {
        return (buf[off] & buf[off + 1] & buf[off + 2] & buf[off + 3] & buf[off + 4] & buf[off + 5]) == (byte) 0xff;
    }

    /** {@code ether_addr_equal}. */
    public static boolean etherAddrEqual(byte[] a, int aOff, byte[] b, int bOff) {
        for (int i = 0; i < ETH_ALEN; i++) {
            if (a[aOff + i] != b[bOff + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code "02:00:00:00:00:0a"}.
     *
     * @throws IllegalArgumentException if the text is not six colon-separated hex octets
     */
    public static byte[] parseMac(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != ETH_ALEN) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected: six hex octets like 02:00:00:00:00:0a)");
        }
        byte[] mac = new byte[ETH_ALEN];
        for (int i = 0; i < ETH_ALEN; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected: six hex octets like 02:00:00:00:00:0a)");
            }
            try {
                mac[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address (expected: six hex octets like 02:00:00:00:00:0a)");
            }
        }
        return mac;
    }

    /** Formats six octets as {@code 02:00:00:00:00:0a}. */
    public static String formatMac(byte[] buf, int off) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < ETH_ALEN; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = buf[off + i] & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
