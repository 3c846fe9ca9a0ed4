package net.linuxnet.api.net;

/**
 * A FIFO of skbs linked through the skbs themselves, as {@code struct sk_buff_head}: queueing
 * allocates nothing. An skb sits on at most one list at a time.
 */
public final class SkBuffHead {
    private SkBuff first;
    private SkBuff last;
    private int qlen;

    /** Packets on the list ({@code skb_queue_len}). */
    public int qlen() {
        return qlen;
    }

    public boolean isEmpty() {
        return qlen == 0;
    }

    /** The first skb without removing it ({@code skb_peek}), or null. */
    public SkBuff peek() {
        return first;
    }

    /** The last skb without removing it ({@code skb_peek_tail}), or null. */
    public SkBuff peekTail() {
        return last;
    }

    /** Appends ({@code __skb_queue_tail}). */
    public void queueTail(SkBuff skb) {
        if (skb.list != null) {
            throw new IllegalStateException("skb is already on a list");
        }
        skb.list = this;
        skb.next = null;
        skb.prev = last;
        if (last == null) {
            first = skb;
        } else {
            last.next = skb;
        }
        last = skb;
        qlen++;
    }

    /** Prepends ({@code __skb_queue_head}). */
    public void queueHead(SkBuff skb) {
        if (skb.list != null) {
            throw new IllegalStateException("skb is already on a list");
        }
        skb.list = this;
        skb.prev = null;
        skb.next = first;
        if (first == null) {
            last = skb;
        } else {
            first.prev = skb;
        }
        first = skb;
        qlen++;
    }

    /** Removes and returns the first skb ({@code __skb_dequeue}), or null. */
    public SkBuff dequeue() {
        SkBuff skb = first;
        if (skb != null) {
            unlink(skb);
        }
        return skb;
    }

    /** Removes and returns the last skb ({@code __skb_dequeue_tail}), or null. */
    public SkBuff dequeueTail() {
        SkBuff skb = last;
        if (skb != null) {
            unlink(skb);
        }
        return skb;
    }

    /** Removes {@code skb}, which must be on this list ({@code __skb_unlink}). */
    public void unlink(SkBuff skb) {
        if (skb.list != this) {
            throw new IllegalStateException("skb is not on this list");
        }
        SkBuff p = skb.prev;
        SkBuff n = skb.next;
        if (p == null) {
            first = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            last = p;
        } else {
            n.prev = p;
        }
        skb.next = null;
        skb.prev = null;
        skb.list = null;
        qlen--;
    }

    /** Moves every skb of this list to the tail of {@code to} ({@code skb_queue_splice_tail_init}). */
    public void spliceTailInit(SkBuffHead to) {
        for (SkBuff skb = first; skb != null; skb = skb.next) {
            skb.list = to;
        }
        if (first != null) {
            if (to.last == null) {
                to.first = first;
            } else {
                to.last.next = first;
                first.prev = to.last;
            }
            to.last = last;
            to.qlen += qlen;
        }
        first = null;
        last = null;
        qlen = 0;
    }

    /** The skb after {@code skb} on this list, or null; for walking ({@code skb_queue_walk}). */
    public SkBuff next(SkBuff skb) {
        return skb.next;
    }

    /** The skb before {@code skb} on this list, or null; for walking back ({@code skb_queue_reverse_walk}). */
    public SkBuff prev(SkBuff skb) {
        return skb.prev;
    }

    /** Inserts {@code skb} right after {@code at}, which is on this list ({@code __skb_queue_after}). */
    public void queueAfter(SkBuff at, SkBuff skb) {
        if (at.list != this) {
            throw new IllegalStateException("skb is not on this list");
        }
        if (skb.list != null) {
            throw new IllegalStateException("skb is already on a list");
        }
        SkBuff n = at.next;
        skb.list = this;
        skb.prev = at;
        skb.next = n;
        at.next = skb;
        if (n == null) {
            last = skb;
        } else {
            n.prev = skb;
        }
        qlen++;
    }
}
