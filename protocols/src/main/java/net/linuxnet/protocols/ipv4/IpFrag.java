package net.linuxnet.protocols.ipv4;

import java.util.ArrayList;
import java.util.List;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.kernel.TimerList;
import net.linuxnet.api.net.Checksum;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.protocols.inet.Rtable;

/**
 * IPv4 reassembly, as {@code net/ipv4/ip_fragment.c} over {@code net/ipv4/inet_fragment.c}.
 *
 * <p>Fragments of one datagram (same source, destination, ID and protocol) gather in an
 * {@link Ipq}, sorted by offset. A fragment that lies wholly inside what the queue holds is a
 * duplicate and is dropped alone ({@code IPFRAG_DUP}, {@code DUP_FRAG}); one that overlaps
 * partly kills the whole queue (RFC 5722 style, {@code IPFRAG_OVERLAP}: {@code ReasmOverlaps}
 * and {@code ReasmFails}). When the first and last fragments are in and the bytes add up
 * ({@code meat == len}) the datagram is rebuilt ({@code ip_frag_reasm}). A queue that is not
 * complete after {@code ipfrag_time} expires ({@code ip_expire}): {@code ReasmFails},
 * {@code ReasmTimeout}, and, if the first fragment came, an ICMP "fragment reassembly time
 * exceeded". A new queue is refused while the fragments held exceed {@code ipfrag_high_thresh}.
 * {@code ipfrag_max_dist} drops a queue that a source left behind by too many other datagrams
 * ({@code ip_frag_too_far}).
 */
final class IpFrag {
    private static final int INET_FRAG_FIRST_IN = 1;
    private static final int INET_FRAG_LAST_IN = 2;
    private static final int INET_FRAG_COMPLETE = 4;

    private final Ipv4 ip;
    private final Kernel kernel;
    private final List<Ipq> queues = new ArrayList<>();
    /** {@code inet_peer.rid}: datagrams seen per source, for {@code ipfrag_max_dist}. */
    private final java.util.HashMap<Integer, int[]> peerRid = new java.util.HashMap<>();
    private long mem;

    IpFrag(Ipv4 ip) {
        this.ip = ip;
        this.kernel = ip.kernel;
    }

    /** {@code struct ipq}. */
    final class Ipq {
        final int saddr;
        final int daddr;
        final int id;
        final int protocol;
        int flags;
        int len;
        int meat;
        int iif;
        int rid;
        long truesize;
        /** Fragments sorted by offset; {@code cb2} holds offset and end. */
        final List<SkBuff> frags = new ArrayList<>();
        final TimerList timer;

        Ipq(int saddr, int daddr, int id, int protocol) {
            this.saddr = saddr;
            this.daddr = daddr;
            this.id = id;
            this.protocol = protocol;
            this.timer = kernel.timerSetup(t -> ipExpire(this));
        }
    }

    /** {@code fqdir_exit}: frees every queue at the end of a run; returns the skbs freed. */
    long exit() {
        long n = 0;
        for (Ipq q : new ArrayList<>(queues)) {
            n += q.frags.size();
            inetFragKill(q, SkbDropReason.QUEUE_PURGE);
        }
        return n;
    }

    int queueCount() {
        return queues.size();
    }

    /**
     * {@code ip_defrag}: queues the fragment; returns the whole datagram when it completes,
     * else null (the fragment is kept or freed).
     */
    SkBuff ipDefrag(SkBuff skb) {
        ip.reasmReqds.inc();
        int nh = skb.networkHeader();
        int saddr = skb.getU32(nh + 12);
        int daddr = skb.getU32(nh + 16);
        int id = skb.getU16(nh + 4);
        int protocol = skb.getU8(nh + 9);
        Ipq qp = ipFind(saddr, daddr, id, protocol);
        if (qp == null) {
            ip.reasmFails.inc();
            kernel.kfreeSkbReason(skb, SkbDropReason.NOT_SPECIFIED);
            return null;
        }
        return ipFragQueue(qp, skb);
    }

    private Ipq ipFind(int saddr, int daddr, int id, int protocol) {
        for (int i = 0, n = queues.size(); i < n; i++) {
            Ipq q = queues.get(i);
            if (q.saddr == saddr && q.daddr == daddr && q.id == id && q.protocol == protocol) {
                return q;
            }
        }
        if (mem > ip.sysctl.getLong("net.ipv4.ipfrag_high_thresh")) {
            return null;
        }
        Ipq q = new Ipq(saddr, daddr, id, protocol);
        if (ip.sysctl.getLong("net.ipv4.ipfrag_max_dist") > 0) {
            q.rid = peerRid.computeIfAbsent(saddr, k -> new int[1])[0];
        }
        q.timer.mod(kernel.ktimeGetNs() + ip.sysctl.getLong("net.ipv4.ipfrag_time") * 1_000_000_000L);
        queues.add(q);
        return q;
    }

    /** {@code ip_frag_too_far}. */
    private boolean ipFragTooFar(Ipq qp) {
        long max = ip.sysctl.getLong("net.ipv4.ipfrag_max_dist");
        if (max <= 0) {
            return false;
        }
        int[] rid = peerRid.computeIfAbsent(qp.saddr, k -> new int[1]);
        int start = qp.rid;
        int end = ++rid[0];
        qp.rid = end;
        boolean rc = !qp.frags.isEmpty() && (end - start) > max;
        if (rc) {
            ip.reasmFails.inc();
        }
        return rc;
    }

    /** {@code ip_frag_reinit}: empties a queue left too far behind. */
    private void ipFragReinit(Ipq qp) {
        purge(qp, SkbDropReason.FRAG_TOO_FAR);
        qp.flags = 0;
        qp.len = 0;
        qp.meat = 0;
        qp.iif = 0;
        qp.timer.mod(kernel.ktimeGetNs() + ip.sysctl.getLong("net.ipv4.ipfrag_time") * 1_000_000_000L);
    }

    /** {@code ip_frag_queue} with {@code inet_frag_queue_insert}. */
    private SkBuff ipFragQueue(Ipq qp, SkBuff skb) {
        if ((qp.flags & INET_FRAG_COMPLETE) != 0) {
            kernel.kfreeSkbReason(skb, SkbDropReason.DUP_FRAG);
            return null;
        }
        if (ipFragTooFar(qp)) {
            ipFragReinit(qp);
        }
        int nh = skb.networkHeader();
        int fo = skb.getU16(nh + 6);
        int offset = (fo & Ipv4.IP_OFFSET) << 3;
        int ihl = (skb.getU8(nh) & 0xf) * 4;
        int end = offset + skb.tail() - nh - ihl;
        if ((fo & Ipv4.IP_MF) == 0) {
            if (end < qp.len || ((qp.flags & INET_FRAG_LAST_IN) != 0 && end != qp.len)) {
                return discardQp(qp, skb, SkbDropReason.NOT_SPECIFIED);
            }
            qp.flags |= INET_FRAG_LAST_IN;
            qp.len = end;
        } else {
            if ((end & 7) != 0) {
                end &= ~7;
            }
            if (end > qp.len) {
                if ((qp.flags & INET_FRAG_LAST_IN) != 0) {
                    return discardQp(qp, skb, SkbDropReason.NOT_SPECIFIED);
                }
                qp.len = end;
            }
        }
        if (end == offset) {
            return discardQp(qp, skb, SkbDropReason.NOT_SPECIFIED);
        }
        // pskb_trim_rcsum(skb, end - offset) after the header
        skb.trim(nh + ihl + (end - offset) - skb.data());
        int err = insert(qp, skb, offset, end);
        if (err == 1) { // IPFRAG_DUP
            kernel.kfreeSkbReason(skb, SkbDropReason.DUP_FRAG);
            return null;
        } else if (err == 2) { // IPFRAG_OVERLAP
            ip.reasmOverlaps.inc();
            return discardQp(qp, skb, SkbDropReason.NOT_SPECIFIED);
        }
        if (skb.dev() != null) {
            qp.iif = skb.dev().ifindex();
        }
        qp.meat += end - offset;
        long ts = truesize(skb);
        qp.truesize += ts;
        mem += ts;
        if (offset == 0) {
            qp.flags |= INET_FRAG_FIRST_IN;
        }
        if (qp.flags == (INET_FRAG_FIRST_IN | INET_FRAG_LAST_IN) && qp.meat == qp.len) {
            return ipFragReasm(qp, skb);
        }
        return null;
    }

    private static long truesize(SkBuff skb) {
        return skb.truesize() > 0 ? skb.truesize() : skb.end() + 256;
    }

    /**
     * {@code inet_frag_queue_insert}: 0, 1 for a duplicate (wholly inside a run of received
     * bytes), 2 for an overlap.
     */
    private static int insert(Ipq qp, SkBuff skb, int offset, int end) {
        List<SkBuff> f = qp.frags;
        int i = 0;
        int n = f.size();
        if (n > 0) {
            int lastEnd = fragEnd(f.get(n - 1));
            if (lastEnd < end) {
                if (offset < lastEnd) {
                    return 2;
                }
                i = n;
            } else {
                // search the runs of contiguous fragments
                int runStart = fragOffset(f.get(0));
                int runEnd = fragEnd(f.get(0));
                for (int k = 1; k <= n; k++) {
                    if (k < n && fragOffset(f.get(k)) == runEnd) {
                        runEnd = fragEnd(f.get(k));
                        continue;
                    }
                    if (!(end <= runStart || offset >= runEnd)) {
                        return offset >= runStart && end <= runEnd ? 1 : 2;
                    }
                    if (k < n) {
                        runStart = fragOffset(f.get(k));
                        runEnd = fragEnd(f.get(k));
                    }
                }
                while (i < n && fragOffset(f.get(i)) < offset) {
                    i++;
                }
            }
        }
        skb.cb2 = ((long) offset << 32) | (end & 0xffffffffL);
        f.add(i, skb);
        return 0;
    }

    private static int fragOffset(SkBuff s) {
        return (int) (s.cb2 >>> 32);
    }

    private static int fragEnd(SkBuff s) {
        return (int) s.cb2;
    }

    private SkBuff discardQp(Ipq qp, SkBuff skb, SkbDropReason reason) {
        inetFragKill(qp, SkbDropReason.FRAG_REASM_TIMEOUT);
        ip.reasmFails.inc();
        kernel.kfreeSkbReason(skb, reason);
        return null;
    }

    /** {@code inet_frag_kill} and {@code inet_frag_destroy}: frees what the queue holds. */
    private void inetFragKill(Ipq qp, SkbDropReason reason) {
        qp.timer.del();
        qp.flags |= INET_FRAG_COMPLETE;
        queues.remove(qp);
        purge(qp, reason);
    }

    private void purge(Ipq qp, SkbDropReason reason) {
        for (SkBuff s : qp.frags) {
            kernel.kfreeSkbReason(s, reason);
        }
        qp.frags.clear();
        mem -= qp.truesize;
        qp.truesize = 0;
    }

    /** {@code ip_frag_reasm}: one skb of the whole datagram; the fragments are consumed. */
    private SkBuff ipFragReasm(Ipq qp, SkBuff last) {
        SkBuff first = qp.frags.get(0);
        int fnh = first.networkHeader();
        int ihl = (first.getU8(fnh) & 0xf) * 4;
        int total = ihl + qp.len;
        if (total > 65535) {
            inetFragKill(qp, SkbDropReason.NOT_SPECIFIED);
            ip.reasmFails.inc();
            return null;
        }
        SkBuff head = kernel.allocSkb(Ipv4.MAX_HEADER + total);
        head.reserve(Ipv4.MAX_HEADER);
        int nh = head.put(total);
        System.arraycopy(first.head(), fnh, head.head(), nh, ihl);
        for (SkBuff s : qp.frags) {
            int snh = s.networkHeader();
            int sihl = (s.getU8(snh) & 0xf) * 4;
            int off = fragOffset(s);
            int len = fragEnd(s) - off;
            System.arraycopy(s.head(), snh + sihl, head.head(), nh + ihl + off, len);
        }
        head.setNetworkHeader(nh);
        head.setTransportHeader(nh + ihl);
        head.setDev(last.dev());
        head.setProtocol(last.protocol());
        head.setPktType(last.pktType());
        head.setSkbIif(last.skbIif());
        head.setMark(last.mark());
        head.cb0 = last.cb0;
        head.cb1 = last.cb1;
        head.cb2 = 0;
        head.putU16(nh + 2, total);
        head.putU16(nh + 6, 0);
        Checksum.ipSendCheck(head.head(), nh);
        qp.timer.del();
        qp.flags |= INET_FRAG_COMPLETE;
        queues.remove(qp);
        for (SkBuff s : qp.frags) {
            kernel.consumeSkb(s);
        }
        qp.frags.clear();
        mem -= qp.truesize;
        qp.truesize = 0;
        ip.reasmOKs.inc();
        return head;
    }

    /** {@code ip_expire}: the queue timed out. */
    private void ipExpire(Ipq qp) {
        if ((qp.flags & INET_FRAG_COMPLETE) != 0) {
            return;
        }
        qp.flags |= INET_FRAG_COMPLETE;
        queues.remove(qp);
        ip.reasmFails.inc();
        ip.reasmTimeout.inc();
        SkBuff head = null;
        if ((qp.flags & INET_FRAG_FIRST_IN) != 0 && !qp.frags.isEmpty() && fragOffset(qp.frags.get(0)) == 0) {
            head = qp.frags.remove(0);
            long ts = truesize(head);
            mem -= ts;
            qp.truesize -= ts;
        }
        purge(qp, SkbDropReason.FRAG_REASM_TIMEOUT);
        if (head == null) {
            return;
        }
        head.setDev(ip.devByIndex(qp.iif));
        if (head.dev() != null && ip.inetAddrType(qp.daddr) == Rtable.RTN_LOCAL) {
            // only an end host sends "fragment reassembly time exceeded" (RFC 792)
            ip.icmpSend(head, Icmp.ICMP_TIME_EXCEEDED, Icmp.ICMP_EXC_FRAGTIME, 0);
        }
        kernel.kfreeSkbReason(head, SkbDropReason.FRAG_REASM_TIMEOUT);
    }
}
