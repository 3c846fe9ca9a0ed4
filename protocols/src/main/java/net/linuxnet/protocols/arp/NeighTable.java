package net.linuxnet.protocols.arp;

import static net.linuxnet.protocols.arp.Neighbour.NUD_CONNECTED;
import static net.linuxnet.protocols.arp.Neighbour.NUD_DELAY;
import static net.linuxnet.protocols.arp.Neighbour.NUD_FAILED;
import static net.linuxnet.protocols.arp.Neighbour.NUD_INCOMPLETE;
import static net.linuxnet.protocols.arp.Neighbour.NUD_IN_TIMER;
import static net.linuxnet.protocols.arp.Neighbour.NUD_NOARP;
import static net.linuxnet.protocols.arp.Neighbour.NUD_NONE;
import static net.linuxnet.protocols.arp.Neighbour.NUD_PERMANENT;
import static net.linuxnet.protocols.arp.Neighbour.NUD_PROBE;
import static net.linuxnet.protocols.arp.Neighbour.NUD_REACHABLE;
import static net.linuxnet.protocols.arp.Neighbour.NUD_STALE;
import static net.linuxnet.protocols.arp.Neighbour.NUD_VALID;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.CostStage;
import net.linuxnet.api.kernel.Errno;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.Sysctl;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.protocols.inet.Inet4;
import net.linuxnet.protocols.inet.Neigh4;
import net.linuxnet.protocols.inet.Rtable;

/**
 * The ARP table of one host ({@code arp_tbl}) and the neighbour machinery of
 * {@code net/core/neighbour.c} it runs on.
 *
 * <p>Output finds the entry of (device, next hop) in a hash table, creating it in state
 * {@code NONE} on a miss. A connected entry (REACHABLE, PERMANENT, NOARP) gets the Ethernet
 * header written from its address and goes to {@code dev_queue_xmit}. Any other entry goes
 * through {@code neigh_event_send}: NONE or FAILED start resolution (INCOMPLETE, a broadcast
 * request now and every {@code retrans_time}), the packet waits on {@code arp_queue}
 * (bounded by {@code unres_qlen_bytes}; the oldest is dropped to make room); STALE moves to
 * DELAY and sends at once. The per-entry timer ({@code neigh_timer_handler}) moves
 * REACHABLE to STALE (or DELAY if used lately) after the randomised reachable time, DELAY to
 * PROBE after {@code delay_first_probe_time} unless confirmed meanwhile, and gives up
 * (FAILED) when the probes are spent: the queue is dropped with {@code NEIGH_FAILED} and each
 * sender gets ICMP host unreachable. Received ARP ({@link Arp}) feeds
 * {@code neigh_update}, which stores the address, changes state and flushes the queue once
 * the entry becomes valid.
 *
 * <p>Follows {@code neigh_lookup}, {@code __neigh_create}, {@code __neigh_event_send},
 * {@code neigh_update}, {@code neigh_timer_handler}, {@code neigh_invalidate},
 * {@code neigh_resolve_output} and {@code neigh_forced_gc} in {@code net/core/neighbour.c}.
 */
public final class NeighTable implements Neigh4 {

    static final String SYSCTL = "net.ipv4.neigh.default.";
    private static final String APP_SOLICIT = SYSCTL + "app_solicit";
    private static final String BASE_REACHABLE_TIME_MS = SYSCTL + "base_reachable_time_ms";
    private static final String DELAY_FIRST_PROBE_TIME = SYSCTL + "delay_first_probe_time";
    private static final String GC_STALE_TIME = SYSCTL + "gc_stale_time";
    private static final String GC_THRESH1 = SYSCTL + "gc_thresh1";
    private static final String GC_THRESH2 = SYSCTL + "gc_thresh2";
    private static final String GC_THRESH3 = SYSCTL + "gc_thresh3";
    private static final String LOCKTIME = SYSCTL + "locktime";
    private static final String MCAST_RESOLICIT = SYSCTL + "mcast_resolicit";
    private static final String MCAST_SOLICIT = SYSCTL + "mcast_solicit";
    private static final String RETRANS_TIME_MS = SYSCTL + "retrans_time_ms";
    private static final String UCAST_SOLICIT = SYSCTL + "ucast_solicit";
    private static final String UNRES_QLEN_BYTES = SYSCTL + "unres_qlen_bytes";
    private static final String UNRES_QLEN = SYSCTL + "unres_qlen";
    /** {@code SKB_TRUESIZE(ETH_FRAME_LEN)}: 1514 + 256 + 320 on x86_64. */
    static final int SKB_TRUESIZE_ETH_FRAME_LEN = 2090;
    /** {@code unres_qlen} as read at boot: 212992 / 2090. */
    static final int UNRES_QLEN_DEFAULT = 101;
    private static final long NS_PER_MS = 1_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;
    /** {@code HZ/100}: the shortest timer the handler arms. */
    private static final long MIN_TIMER_NS = 10 * NS_PER_MS;
    /** {@code USER_HZ}: {@code locktime} is in its ticks. */
    private static final long USER_HZ_TICK_NS = 10 * NS_PER_MS;
    private static final int HASH_SIZE = 256;

    final Kernel kernel;
    final Arp arp;
    private final Neighbour[] hash = new Neighbour[HASH_SIZE];
    private int entries;
    private final CostStage neighOutputCost;

    // parms->reachable_time and when it was last drawn (neigh_periodic_work redraws every 300 s)
    private long reachableTimeNs;
    private long reachableBaseNs = -1;
    private long lastRandNs;
    private long lastFlushNs;
    private long lastPeriodicNs;

    // ---- struct neigh_statistics (/proc/net/stat/arp_cache) --------------------------------
    long allocs;
    long destroys;
    long hashGrows;
    long resFailed;
    long lookups;
    long hits;
    long rcvProbesMcast;
    long rcvProbesUcast;
    long periodicGcRuns;
    long forcedGcRuns;
    long unresDiscards;
    long tableFulls;

    public NeighTable(Kernel kernel) {
        this.kernel = kernel;
        this.arp = new Arp(this);
        this.neighOutputCost = kernel.costStage("neigh_output");
    }

    /** The table of {@code kernel}, or null. */
    public static NeighTable of(Kernel kernel) {
        return kernel.netGeneric(Neigh4.class) instanceof NeighTable t ? t : null;
    }

    // ---- parameters (struct neigh_parms, read from the sysctls when used) ---------------------

    private long sysctl(String name) {
        return kernel.sysctl().getLong(name);
    }

    long retransTimeNs() {
        return Math.max(sysctl(RETRANS_TIME_MS) * NS_PER_MS, MIN_TIMER_NS);
    }

    long delayProbeTimeNs() {
        return sysctl(DELAY_FIRST_PROBE_TIME) * NS_PER_S;
    }

    long baseReachableTimeNs() {
        return sysctl(BASE_REACHABLE_TIME_MS) * NS_PER_MS;
    }

    long locktimeNs() {
        return sysctl(LOCKTIME) * USER_HZ_TICK_NS;
    }

    int ucastProbes() {
        return (int) sysctl(UCAST_SOLICIT);
    }

    int mcastProbes() {
        return (int) sysctl(MCAST_SOLICIT);
    }

    int appProbes() {
        return (int) sysctl(APP_SOLICIT);
    }

    /**
     * {@code parms->reachable_time}: {@code neigh_rand_reach_time(base_reachable_time)}, a
     * uniform draw in {@code [base/2, 3*base/2)}, redrawn when the base changes and every 300 s
     * as {@code neigh_periodic_work} does.
     */
    long reachableTimeNs() {
        long base = baseReachableTimeNs();
        long now = kernel.ktimeGetNs();
        if (base != reachableBaseNs || now - lastRandNs >= 300 * NS_PER_S) {
            reachableBaseNs = base;
            lastRandNs = now;
            reachableTimeNs = neighRandReachTime(base);
        }
        return reachableTimeNs;
    }

    /** {@code neigh_rand_reach_time}. */
    long neighRandReachTime(long base) {
        return base > 0 ? kernel.random().nextLong(base) + (base >> 1) : 0;
    }

    /**
     * The bound of {@code arp_queue} in bytes of truesize: {@code unres_qlen_bytes}, unless
     * {@code unres_qlen} was set, which, as {@code neigh_proc_dointvec_unres_qlen} does, sets
     * the bound to {@code unres_qlen * SKB_TRUESIZE(ETH_FRAME_LEN)}.
     */
    long unresQlenBytes() {
        long qlen = sysctl(UNRES_QLEN);
        return qlen != UNRES_QLEN_DEFAULT ? qlen * SKB_TRUESIZE_ETH_FRAME_LEN : sysctl(UNRES_QLEN_BYTES);
    }

    /** {@code neigh_max_probes}. */
    private int neighMaxProbes(Neighbour n) {
        return ucastProbes() + appProbes()
                + ((n.nudState & NUD_PROBE) != 0 ? (int) sysctl(MCAST_RESOLICIT) : mcastProbes());
    }

    // ---- lookup and creation ---------------------------------------------------------------

    private static int hashOf(int key, NetDevice dev) {
        int h = key * 0x9E3779B1 ^ dev.ifindex() * 0x85EBCA6B;
        return (h ^ (h >>> 16)) & (HASH_SIZE - 1);
    }

    /** {@code __ipv4_neigh_lookup_noref}: no statistics, no creation. */
    Neighbour lookupNoref(NetDevice dev, int key) {
        for (Neighbour n = hash[hashOf(key, dev)]; n != null; n = n.next) {
            if (n.primaryKey == key && n.dev == dev) {
                return n;
            }
        }
        return null;
    }

    /** {@code neigh_lookup}: counts {@code lookups} and {@code hits}. */
    public Neighbour neighLookup(NetDevice dev, int key) {
        lookups++;
        Neighbour n = lookupNoref(dev, key);
        if (n != null) {
            hits++;
        }
        return n;
    }

    /** {@code __neigh_lookup}: looks up, and creates on a miss when {@code creat}. */
    Neighbour neighLookup(NetDevice dev, int key, boolean creat) {
        Neighbour n = neighLookup(dev, key);
        if (n != null || !creat) {
            return n;
        }
        return neighCreate(dev, key);
    }

    /**
     * {@code __neigh_create} with {@code neigh_alloc} and {@code arp_constructor}: a new entry
     * in NONE, or NOARP for devices without ARP, loopback, broadcast and multicast addresses.
     * Returns null when the table is full ({@code gc_thresh3}, {@code table_fulls}).
     */
    Neighbour neighCreate(NetDevice dev, int key) {
        neighPeriodicWork();
        if (entries >= sysctl(GC_THRESH3) || (entries >= sysctl(GC_THRESH2)
                && kernel.ktimeGetNs() > lastFlushNs + 5 * NS_PER_S)) {
            if (neighForcedGc() == 0 && entries >= sysctl(GC_THRESH3)) {
                tableFulls++;
                return null;
            }
        }
        Neighbour n = new Neighbour(this, key, dev);
        long now = kernel.ktimeGetNs();
        n.updated = now;
        n.used = now;
        n.confirmed = now - (baseReachableTimeNs() << 1);
        arpConstructor(n);
        int h = hashOf(key, dev);
        n.next = hash[h];
        hash[h] = n;
        entries++;
        allocs++;
        return n;
    }

    /** {@code arp_constructor}: what kind of entry the address and the device make. */
    private void arpConstructor(Neighbour n) {
        NetDevice dev = n.dev;
        if (dev.hardHeaderLen() == 0) {
            n.nudState = NUD_NOARP;
            n.direct = true;
            return;
        }
        int type = addrType(n.primaryKey);
        if (type == Rtable.RTN_MULTICAST) {
            n.nudState = NUD_NOARP;
            Arp.arpMcMap(n.primaryKey, n.ha);
        } else if ((dev.flags() & (NetDevice.IFF_NOARP | NetDevice.IFF_LOOPBACK)) != 0
                || dev.type() == IfEther.ARPHRD_LOOPBACK) {
            n.nudState = NUD_NOARP;
            System.arraycopy(dev.devAddr(), 0, n.ha, 0, IfEther.ETH_ALEN);
        } else if (type == Rtable.RTN_BROADCAST || (dev.flags() & NetDevice.IFF_POINTOPOINT) != 0) {
            n.nudState = NUD_NOARP;
            System.arraycopy(dev.broadcast(), 0, n.ha, 0, IfEther.ETH_ALEN);
        } else {
            n.nudState = NUD_NONE;
        }
    }

    /** {@code inet_addr_type}, from IPv4 if present, else from the address alone. */
    int addrType(int addr) {
        Inet4 inet = Inet4.of(kernel);
        if (inet != null) {
            return inet.inetAddrType(addr);
        }
        if (addr == 0xffffffff) {
            return Rtable.RTN_BROADCAST;
        }
        return (addr & 0xf0000000) == 0xe0000000 ? Rtable.RTN_MULTICAST : Rtable.RTN_UNICAST;
    }

    /** Removes an entry: stops its timer, frees its queue, unlinks it ({@code neigh_destroy}). */
    private void neighDestroy(Neighbour n) {
        n.timer.del();
        purgeQueue(n, SkbDropReason.NEIGH_DEAD);
        int h = hashOf(n.primaryKey, n.dev);
        Neighbour prev = null;
        for (Neighbour p = hash[h]; p != null; prev = p, p = p.next) {
            if (p == n) {
                if (prev == null) {
                    hash[h] = n.next;
                } else {
                    prev.next = n.next;
                }
                break;
            }
        }
        n.dead = true;
        entries--;
        destroys++;
    }

    /** Frees a neighbour's unresolved queue; returns how many skbs it held. */
    private long purgeQueue(Neighbour n, SkbDropReason reason) {
        long freed = 0;
        SkBuff skb;
        while ((skb = n.arpQueue.dequeue()) != null) {
            kernel.kfreeSkbReason(skb, reason);
            freed++;
        }
        n.arpQueueLenBytes = 0;
        return freed;
    }

    /**
     * {@code neigh_forced_gc} with the stale rule of {@code neigh_periodic_work}: removes
     * entries that are neither static nor being resolved and that were not updated for
     * 5 s (FAILED, NOARP: at once; STALE: after {@code gc_stale_time} unused).
     *
     * @return how many it removed
     */
    int neighForcedGc() {
        forcedGcRuns++;
        long now = kernel.ktimeGetNs();
        long tref = now - 5 * NS_PER_S;
        long stale = sysctl(GC_STALE_TIME) * NS_PER_S;
        int removed = 0;
        for (int i = 0; i < HASH_SIZE; i++) {
            for (Neighbour n = hash[i]; n != null; ) {
                Neighbour next = n.next;
                int s = n.nudState;
                boolean old = (s & (NUD_FAILED | NUD_NOARP)) != 0 || n.updated <= tref
                        || (s == NUD_STALE && n.used + stale <= now);
                if (!n.admin && (s & NUD_IN_TIMER) == 0 && (s & NUD_PERMANENT) == 0 && old
                        && n.arpQueue.isEmpty()) {
                    neighDestroy(n);
                    removed++;
                }
                n = next;
            }
        }
        lastFlushNs = now;
        return removed;
    }

    /**
     * {@code neigh_table_clear} as the namespace goes away at the end of a run: every timer
     * stops and every queued skb is freed with {@code QUEUE_PURGE}; the entries stay for the
     * report.
     */
    long neighTableClear() {
        long freed = 0;
        for (Neighbour head : hash) {
            for (Neighbour n = head; n != null; n = n.next) {
                n.timer.del();
                freed += purgeQueue(n, SkbDropReason.QUEUE_PURGE);
            }
        }
        return freed;
    }

    /**
     * {@code neigh_periodic_work}, run lazily when an entry is created rather than from a
     * timer of its own (which would keep every run busy until its drain ends): at most every
     * {@code base_reachable_time/2}, and only with at least {@code gc_thresh1} entries,
     * removes FAILED entries and those unused for {@code gc_stale_time}, unless static or in
     * a timer state.
     */
    private void neighPeriodicWork() {
        long now = kernel.ktimeGetNs();
        if (now - lastPeriodicNs < baseReachableTimeNs() / 2) {
            return;
        }
        lastPeriodicNs = now;
        if (entries < sysctl(GC_THRESH1)) {
            return;
        }
        periodicGcRuns++;
        long stale = sysctl(GC_STALE_TIME) * NS_PER_S;
        for (int i = 0; i < HASH_SIZE; i++) {
            for (Neighbour n = hash[i]; n != null; ) {
                Neighbour next = n.next;
                int s = n.nudState;
                if (!n.admin && (s & (NUD_PERMANENT | NUD_IN_TIMER)) == 0 && n.arpQueue.isEmpty()
                        && (s == NUD_FAILED || n.used + stale < now)) {
                    neighDestroy(n);
                }
                n = next;
            }
        }
    }

    // ---- output ----------------------------------------------------------------------------

    @Override
    public int output(SkBuff skb, NetDevice dev, int nexthop) {
        kernel.charge(neighOutputCost, skb.len());
        Neighbour n = lookupNoref(dev, nexthop);
        if (n == null) {
            n = neighCreate(dev, nexthop);
            if (n == null) {
                kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_CREATEFAIL);
                return -Errno.EINVAL; // ip_finish_output2
            }
        }
        return neighOutput(n, skb);
    }

    /** {@code neigh_output}: the cached-header path for connected entries, else {@code neigh_resolve_output}. */
    int neighOutput(Neighbour n, SkBuff skb) {
        if (n.direct) {
            return neighDirectOutput(skb, n.dev);
        }
        if ((n.nudState & NUD_CONNECTED) != 0) {
            return neighHhOutput(n, skb);
        }
        return neighResolveOutput(n, skb);
    }

    /** {@code neigh_direct_output}: devices without a hardware header. */
    private int neighDirectOutput(SkBuff skb, NetDevice dev) {
        skb.setDev(dev);
        return kernel.devQueueXmit(skb);
    }

    /** {@code neigh_hh_output} / {@code neigh_connected_output}: the header from {@code ha}, then {@code dev_queue_xmit}. */
    private int neighHhOutput(Neighbour n, SkBuff skb) {
        if (!ethHeader(skb, n.dev, skb.protocol(), n.ha)) {
            kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_HH_FILLFAIL);
            return -Errno.EINVAL;
        }
        return kernel.devQueueXmit(skb);
    }

    /** {@code neigh_resolve_output}: resolves if needed, then sends with the header built. */
    private int neighResolveOutput(Neighbour n, SkBuff skb) {
        if (neighEventSend(n, skb)) {
            return 0;
        }
        return neighHhOutput(n, skb);
    }

    /**
     * {@code eth_header}: pushes the Ethernet header, destination {@code daddr}, source the
     * device's address, ethertype {@code type}.
     */
    static boolean ethHeader(SkBuff skb, NetDevice dev, int type, byte[] daddr) {
        if (skb.headroom() < IfEther.ETH_HLEN) {
            return false;
        }
        int mac = skb.push(IfEther.ETH_HLEN);
        skb.putBytes(mac, daddr, 0, IfEther.ETH_ALEN);
        skb.putBytes(mac + IfEther.ETH_ALEN, dev.devAddr(), 0, IfEther.ETH_ALEN);
        skb.putU16(mac + 12, type);
        skb.resetMacHeader();
        skb.setDev(dev);
        return true;
    }

    /**
     * {@code neigh_event_send} and {@code __neigh_event_send}: marks the entry used and, when
     * it is not connected, DELAY or PROBE, drives resolution. {@code skb} (may be null) is
     * queued while INCOMPLETE, or freed with {@code NEIGH_FAILED} when resolution cannot start.
     *
     * @return false if the caller may send now; true if the skb was queued or freed
     */
    boolean neighEventSend(Neighbour n, SkBuff skb) {
        long now = kernel.ktimeGetNs();
        n.used = now;
        int state = n.nudState;
        if ((state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) != 0) {
            return false;
        }
        boolean immediateProbe = false;
        if ((state & (NUD_STALE | NUD_INCOMPLETE)) == 0) {
            if (mcastProbes() + appProbes() != 0) {
                n.probes = ucastProbes();
                n.nudState = NUD_INCOMPLETE;
                n.updated = now;
                n.timer.mod(now + retransTimeNs());
                immediateProbe = true;
            } else {
                n.nudState = NUD_FAILED;
                n.updated = now;
                if (skb != null) {
                    kernel.kfreeSkbReason(skb, SkbDropReason.NEIGH_FAILED);
                }
                return true;
            }
        } else if ((state & NUD_STALE) != 0) {
            n.nudState = NUD_DELAY;
            n.updated = now;
            n.timer.mod(now + delayProbeTimeNs());
        }
        if (n.nudState == NUD_INCOMPLETE) {
            if (skb != null) {
                long limit = unresQlenBytes();
                while (n.arpQueueLenBytes + skb.truesize() > limit) {
                    SkBuff old = n.arpQueue.dequeue();
                    if (old == null) {
                        break;
                    }
                    n.arpQueueLenBytes -= old.truesize();
                    kernel.kfreeSkbReason(old, SkbDropReason.NEIGH_QUEUEFULL);
                    unresDiscards++;
                }
                n.arpQueue.queueTail(skb);
                n.arpQueueLenBytes += skb.truesize();
            }
            if (immediateProbe) {
                neighProbe(n);
            }
            return true;
        }
        return false;
    }

    /** {@code neigh_probe}: one solicitation, counted in {@code probes}. */
    private void neighProbe(Neighbour n) {
        SkBuff skb = n.arpQueue.peekTail();
        arp.arpSolicit(n, skb);
        n.probes++;
    }

    // ---- the state machine -------------------------------------------------------------------

    /** {@code neigh_timer_handler}: runs in TIMER softirq context when an entry's timer expires. */
    void neighTimerHandler(Neighbour n) {
        int state = n.nudState;
        if ((state & NUD_IN_TIMER) == 0 || n.dead) {
            return;
        }
        long now = kernel.ktimeGetNs();
        long next = now + NS_PER_S;
        if ((state & NUD_REACHABLE) != 0) {
            long reach = reachableTimeNs();
            if (now <= n.confirmed + reach) {
                next = n.confirmed + reach;
            } else if (now <= n.used + delayProbeTimeNs()) {
                n.nudState = NUD_DELAY;
                n.updated = now;
                next = now + delayProbeTimeNs();
            } else {
                n.nudState = NUD_STALE;
                n.updated = now;
            }
        } else if ((state & NUD_DELAY) != 0) {
            if (now <= n.confirmed + delayProbeTimeNs()) {
                n.nudState = NUD_REACHABLE;
                n.updated = now;
                next = n.confirmed + reachableTimeNs();
            } else {
                n.nudState = NUD_PROBE;
                n.updated = now;
                n.probes = 0;
                next = now + retransTimeNs();
            }
        } else {
            // NUD_PROBE | NUD_INCOMPLETE
            next = now + retransTimeNs();
        }
        if ((n.nudState & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && n.probes >= neighMaxProbes(n)) {
            n.nudState = NUD_FAILED;
            n.updated = now;
            neighInvalidate(n);
            return;
        }
        if ((n.nudState & NUD_IN_TIMER) != 0) {
            if (next < now + MIN_TIMER_NS) {
                next = now + MIN_TIMER_NS;
            }
            n.timer.mod(next);
        }
        if ((n.nudState & (NUD_INCOMPLETE | NUD_PROBE)) != 0) {
            neighProbe(n);
        }
    }

    /**
     * {@code neigh_invalidate}: resolution failed; every queued packet is reported to its
     * sender ({@code arp_error_report}: ICMP host unreachable) and dropped with
     * {@code NEIGH_FAILED}. Counts {@code res_failed}.
     */
    private void neighInvalidate(Neighbour n) {
        resFailed++;
        SkBuff skb;
        while (n.nudState == NUD_FAILED && (skb = n.arpQueue.dequeue()) != null) {
            n.arpQueueLenBytes -= skb.truesize();
            arp.arpErrorReport(skb);
        }
        n.arpQueueLenBytes = 0;
    }

    /** Flags of {@code neigh_update}. */
    static final int NEIGH_UPDATE_F_OVERRIDE = 1;
    static final int NEIGH_UPDATE_F_WEAK_OVERRIDE = 2;
    static final int NEIGH_UPDATE_F_ADMIN = 1 << 7;

    /**
     * {@code neigh_update}: a new link-layer address ({@code lladdr}, may be null) and state
     * for {@code n}. Static and NOARP entries change only with {@code NEIGH_UPDATE_F_ADMIN}; a
     * different address replaces a valid one only with {@code NEIGH_UPDATE_F_OVERRIDE}; the
     * same address does not demote a valid entry to STALE. An entry that becomes valid sends
     * what waited on its queue.
     *
     * @return 0, or {@code -EPERM}/{@code -EINVAL} when nothing changed
     */
    int neighUpdate(Neighbour n, byte[] lladdr, int lladdrOff, int newState, int flags) {
        int old = n.nudState;
        long now = kernel.ktimeGetNs();
        if ((flags & NEIGH_UPDATE_F_ADMIN) == 0 && (old & (NUD_NOARP | NUD_PERMANENT)) != 0) {
            return -Errno.EPERM;
        }
        if (n.dead) {
            return -Errno.EINVAL;
        }
        if ((newState & NUD_VALID) == 0) {
            n.timer.del();
            n.nudState = newState;
            if ((old & (NUD_INCOMPLETE | NUD_PROBE)) != 0 && (newState & NUD_FAILED) != 0) {
                neighInvalidate(n);
            }
            return 0;
        }
        boolean sameAddr;
        if (lladdr == null) {
            if ((old & NUD_VALID) == 0) {
                return -Errno.EINVAL;
            }
            sameAddr = true;
        } else {
            sameAddr = (old & NUD_VALID) != 0 && IfEther.etherAddrEqual(lladdr, lladdrOff, n.ha, 0);
        }
        if ((newState & NUD_CONNECTED) != 0) {
            n.confirmed = now;
        }
        if ((old & NUD_VALID) != 0) {
            if (!sameAddr && (flags & NEIGH_UPDATE_F_OVERRIDE) == 0) {
                if ((flags & NEIGH_UPDATE_F_WEAK_OVERRIDE) != 0 && (old & NUD_CONNECTED) != 0) {
                    sameAddr = true;
                    newState = NUD_STALE;
                } else {
                    return 0;
                }
            } else if (sameAddr && newState == NUD_STALE && (flags & NEIGH_UPDATE_F_ADMIN) == 0) {
                newState = old;
            }
        }
        if (newState != old || !sameAddr) {
            n.updated = now;
        }
        if (newState != old) {
            n.timer.del();
            if ((newState & NUD_PROBE) != 0) {
                n.probes = 0;
            }
            if ((newState & NUD_IN_TIMER) != 0) {
                n.timer.mod(now + ((newState & NUD_REACHABLE) != 0 ? reachableTimeNs() : 0));
            }
            n.nudState = newState;
        }
        if (!sameAddr) {
            System.arraycopy(lladdr, lladdrOff, n.ha, 0, IfEther.ETH_ALEN);
            if ((newState & NUD_CONNECTED) == 0) {
                n.confirmed = now - (baseReachableTimeNs() << 1);
            }
        }
        if (newState == old) {
            return 0;
        }
        if ((old & NUD_VALID) == 0) {
            // the queue waited for an address: send it, oldest first
            SkBuff skb;
            while ((n.nudState & NUD_VALID) != 0 && (skb = n.arpQueue.dequeue()) != null) {
                n.arpQueueLenBytes -= skb.truesize();
                neighOutput(n, skb);
            }
            if (n.arpQueue.isEmpty()) {
                n.arpQueueLenBytes = 0;
            }
        }
        return 0;
    }

    /**
     * {@code neigh_event_ns}: an ARP request from {@code saddr} proves it is there; its entry
     * is created if need be and updated to STALE with the sender's address.
     */
    Neighbour neighEventNs(byte[] lladdr, int lladdrOff, int saddr, NetDevice dev) {
        Neighbour n = neighLookup(dev, saddr, true);
        if (n != null) {
            neighUpdate(n, lladdr, lladdrOff, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
        }
        return n;
    }

    /** {@code ip neigh replace ADDR lladdr LLADDR dev DEV nud permanent}: a static entry. */
    public Neighbour neighAddPermanent(NetDevice dev, int addr, byte[] lladdr) {
        Neighbour n = lookupNoref(dev, addr);
        if (n == null) {
            n = neighCreate(dev, addr);
            if (n == null) {
                throw new IllegalStateException("neighbour table full");
            }
        }
        n.admin = true;
        neighUpdate(n, lladdr, 0, NUD_PERMANENT, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
        return n;
    }

    @Override
    public void inetaddrAdded(NetDevice dev, int addr) {
        if ((dev.flags() & (NetDevice.IFF_NOARP | NetDevice.IFF_LOOPBACK)) != 0 || dev.hardHeaderLen() == 0
                || dev.type() == IfEther.ARPHRD_LOOPBACK) {
            return;
        }
        // inetdev_send_gratuitous_arp: sent from a timer, since this may run in no CPU context
        kernel.timerSetup(t -> arp.arpSend(Arp.ARPOP_REQUEST, addr, dev, addr, null, dev.devAddr(), null))
                .mod(kernel.ktimeGetNs());
    }

    // ---- views -------------------------------------------------------------------------------

    /** The entries, in hash order. */
    public List<Neighbour> entries() {
        List<Neighbour> out = new ArrayList<>();
        for (Neighbour head : hash) {
            for (Neighbour n = head; n != null; n = n.next) {
                out.add(n);
            }
        }
        out.sort((a, b) -> a.dev.ifindex() != b.dev.ifindex() ? Integer.compare(a.dev.ifindex(), b.dev.ifindex())
                : Integer.compareUnsigned(a.primaryKey, b.primaryKey));
        return out;
    }

    /** An entry, without touching the statistics; null if none. */
    public Neighbour get(NetDevice dev, int addr) {
        return lookupNoref(dev, addr);
    }

    /** {@code /proc/net/stat/arp_cache} as name to value, in the file's column order. */
    public java.util.Map<String, Long> stats() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("entries", (long) entries);
        m.put("allocs", allocs);
        m.put("destroys", destroys);
        m.put("hash_grows", hashGrows);
        m.put("lookups", lookups);
        m.put("hits", hits);
        m.put("res_failed", resFailed);
        m.put("rcv_probes_mcast", rcvProbesMcast);
        m.put("rcv_probes_ucast", rcvProbesUcast);
        m.put("periodic_gc_runs", periodicGcRuns);
        m.put("forced_gc_runs", forcedGcRuns);
        m.put("unresolved_discards", unresDiscards);
        m.put("table_fulls", tableFulls);
        return m;
    }

    static String ipString(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    static String macString(byte[] b, int off) {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < IfEther.ETH_ALEN; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        }
        return s.toString();
    }

    Sysctl sysctls() {
        return kernel.sysctl();
    }
}
