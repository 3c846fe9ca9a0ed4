package net.linuxnet.core.dev;

import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.net.SkbDropReason;
import net.linuxnet.api.sched.Qdisc;

/**
 * Putting qdiscs on a device and taking them off, after {@code qdisc_graft},
 * {@code dev_graft_qdisc}, {@code dev_activate}/{@code dev_deactivate} and
 * {@code qdisc_destroy} of {@code net/sched/sch_api.c} and {@code sch_generic.c}.
 *
 * <p>A root with children ({@code mq}) serves no TX queue itself: each queue gets its child
 * ({@code mq_attach}); any other root serves every queue. What a qdisc taken off still holds
 * (its queue and a requeued packet) is freed by {@code qdisc_reset} with reason
 * {@code QUEUE_PURGE} (the kernel frees the queue through {@code rtnl_kfree_skbs} and the
 * requeued packets through {@code __skb_queue_purge}; the model names both
 * {@code QUEUE_PURGE}), then its watchdog is cancelled and its {@code destroy} runs.
 */
public final class QdiscGraft {

    private QdiscGraft() {
    }

    /**
     * {@code qdisc_graft} at the root: {@code dev_deactivate} resets and destroys the old tree,
     * {@code dev_graft_qdisc} puts the new one on every TX queue, {@code dev_activate}.
     *
     * @return how many packets the old tree held and freed
     */
    public static long graftRoot(NetDevice dev, Qdisc<?> root) {
        long freed = 0;
        Qdisc<?> old = dev.qdisc();
        if (old != null) {
            freed = destroyTree(old);
        }
        dev.setQdisc(root);
        Qdisc<?>[] children = root == null ? new Qdisc<?>[0] : root.children();
        for (int i = 0; i < dev.numTxQueues(); i++) {
            dev.txQueue(i).setQdisc(children.length > 0 ? children[i] : root);
        }
        return freed;
    }

    /**
     * {@code qdisc_graft} under a class of a classful root ({@code mq_graft}): the child of
     * class {@code parent} is replaced on its TX queue and destroyed.
     *
     * @return how many packets the old child freed, or -1 if the root has no such class
     */
    public static long graftClass(NetDevice dev, int parent, Qdisc<?> child) {
        Qdisc<?> root = dev.qdisc();
        if (root == null) {
            return -1;
        }
        Qdisc<?>[] children = root.children();
        for (int i = 0; i < children.length; i++) {
            if (children[i].parent() == parent) {
                long freed = destroy(children[i]);
                children[i] = child;
                root.setChildren(children);
                dev.txQueue(i).setQdisc(child);
                return freed;
            }
        }
        return -1;
    }

    /** Destroys a qdisc and its children; returns the packets they held. */
    public static long destroyTree(Qdisc<?> q) {
        long freed = 0;
        for (Qdisc<?> c : q.children()) {
            freed += destroy(c);
        }
        return freed + destroy(q);
    }

    /** {@code qdisc_destroy}: {@code qdisc_reset}, the watchdog off, {@code ops->destroy}. */
    static long destroy(Qdisc<?> q) {
        long n = q.qlen;
        SkBuff req = q.requeued;
        if (req != null) {
            q.requeued = null;
            q.qlen--;
            q.backlog -= req.len();
            q.kernel().kfreeSkbReason(req, SkbDropReason.QUEUE_PURGE);
        }
        q.reset(SkbDropReason.QUEUE_PURGE);
        q.qlen = 0;
        q.backlog = 0;
        q.watchdogCancel();
        q.destroy();
        return n;
    }
}
