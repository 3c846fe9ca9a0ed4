package net.linuxnet.api.sock;

import java.util.ArrayDeque;

/**
 * {@code struct request_sock_queue} of {@code include/net/request_sock.h}: a listener's SYN
 * queue, kept as two numbers since Linux 4.4 put request sockets in the established hash
 * ({@code qlen}: pending requests; {@code young}: those whose SYN-ACK was not yet
 * retransmitted), and the accept queue of established children ({@code rskq_accept_head}),
 * whose length is the listener's {@code sk_ack_backlog}.
 */
public final class RequestSockQueue {
    /** {@code qlen}: request sockets pending ({@code reqsk_queue_len}). */
    public int qlen;
    /** {@code young}: requests that have not timed out yet ({@code reqsk_queue_len_young}). */
    public int young;
    /** {@code rskq_accept_head}..{@code tail}: children ready for {@code accept(2)}. */
    private ArrayDeque<Sock> acceptQueue;

    /** {@code reqsk_queue_added}. */
    public void added() {
        young++;
        qlen++;
    }

    /** {@code reqsk_queue_removed}. */
    public void removed(RequestSock req) {
        if (req.numTimeout == 0) {
            young--;
        }
        qlen--;
    }

    /** {@code inet_csk_reqsk_queue_add}: appends an established child. */
    public void add(Sock child) {
        if (acceptQueue == null) {
            acceptQueue = new ArrayDeque<>(); // only listeners pay for it
        }
        acceptQueue.addLast(child);
    }

    /** {@code reqsk_queue_remove}: the head of the accept queue, or null. */
    public Sock remove() {
        return acceptQueue == null ? null : acceptQueue.pollFirst();
    }

    /** {@code reqsk_queue_empty}. */
    public boolean empty() {
        return acceptQueue == null || acceptQueue.isEmpty();
    }

    /** The children in the accept queue, head first, read-only (for {@code ss}). */
    public java.util.Collection<Sock> acceptQueueView() {
        return acceptQueue == null ? java.util.List.of() : java.util.Collections.unmodifiableCollection(acceptQueue);
    }

    /** The children in the accept queue ({@code sk_ack_backlog}). */
    public int acceptLen() {
        return acceptQueue == null ? 0 : acceptQueue.size();
    }
}
