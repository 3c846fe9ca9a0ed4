package net.linuxnet.protocols.arp;

import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuffHead;

/**
 * One entry of the ARP table: an IPv4 address on one device, its link-layer address and its
 * NUD state, as {@code struct neighbour} in {@code include/net/neighbour.h}.
 *
 * <p>The states are bits, as in the kernel, so that the groups test with one mask:
 *
 * <pre>
 *   NUD_IN_TIMER  = INCOMPLETE | REACHABLE | DELAY | PROBE      (a timer runs)
 *   NUD_VALID     = PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY   (ha is usable)
 *   NUD_CONNECTED = PERMANENT | NOARP | REACHABLE                (send without asking)
 * </pre>
 *
 * <p>Times are nanoseconds of simulated time, where the kernel keeps jiffies.
 */
public final class Neighbour {
    public static final int NUD_NONE = 0x00;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    public static final int NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
    public static final int NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
    public static final int NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

    /** The IPv4 address ({@code primary_key}), host order. */
    final int primaryKey;
    final NetDevice dev;
    /** The link-layer address ({@code ha}); meaningful while the state is {@code NUD_VALID}. */
    final byte[] ha = new byte[IfEther.ETH_ALEN];
    int nudState = NUD_NONE;
    /** Last state change ({@code updated}). */
    long updated;
    /** Last use by output ({@code used}). */
    long used;
    /** Last proof of reachability ({@code confirmed}). */
    long confirmed;
    /** Solicitations sent in the current round ({@code probes}). */
    int probes;
    /** Packets waiting for resolution ({@code arp_queue}) and their truesize sum ({@code arp_queue_len_bytes}). */
    final SkBuffHead arpQueue = new SkBuffHead();
    int arpQueueLenBytes;
    /** No hardware header: output sends the packet as it is ({@code neigh_direct_output}). */
    boolean direct;
    /** Set by {@code ip neigh add} (a static entry). */
    boolean admin;
    final TimerList timer;
    /** Hash chain. */
    Neighbour next;
    boolean dead;

    Neighbour(NeighTable tbl, int primaryKey, NetDevice dev) {
        this.primaryKey = primaryKey;
        this.dev = dev;
        this.timer = dev.kernel().timerSetup(t -> tbl.neighTimerHandler(this));
    }

    public int primaryKey() {
        return primaryKey;
    }

    public NetDevice dev() {
        return dev;
    }

    public int nudState() {
        return nudState;
    }

    /** A copy of the link-layer address. */
    public byte[] ha() {
        return ha.clone();
    }

    /** Packets queued while resolving. */
    public int arpQueueLen() {
        return arpQueue.qlen();
    }

    /** The state as {@code ip neigh} prints it ({@code REACHABLE}, {@code FAILED}, ...). */
    public static String stateName(int nudState) {
        return switch (nudState) {
            case NUD_NONE -> "NONE";
            case NUD_INCOMPLETE -> "INCOMPLETE";
            case NUD_REACHABLE -> "REACHABLE";
            case NUD_STALE -> "STALE";
            case NUD_DELAY -> "DELAY";
            case NUD_PROBE -> "PROBE";
            case NUD_FAILED -> "FAILED";
            case NUD_NOARP -> "NOARP";
            case NUD_PERMANENT -> "PERMANENT";
            default -> "0x" + Integer.toHexString(nudState);
        };
    }

    @Override
    public String toString() {
        return NeighTable.ipString(primaryKey) + " dev " + dev.name() + " " + stateName(nudState);
    }
}
