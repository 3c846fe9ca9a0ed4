package net.linuxnet.protocols.tcp;

import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The singly linked bucket chains of TCP's hash tables ({@code hlist} in the kernel): the
 * node's link is read and written through method references, so one unlink serves the
 * established, request, timewait, listening and bind tables. Nothing allocates.
 */
final class HashChain {
    private HashChain() {
    }

    /** {@code hlist_add_head}: {@code node} first in bucket {@code h}. */
    static <T> void addHead(T[] table, int h, T node, BiConsumer<T, T> setNext) {
        setNext.accept(node, table[h]);
        table[h] = node;
    }

    /** {@code hlist_del}: takes {@code node} out of bucket {@code h}, if it is there, and clears its link. */
    static <T> void del(T[] table, int h, T node, UnaryOperator<T> next, BiConsumer<T, T> setNext) {
        T prev = null;
        for (T t = table[h]; t != null; prev = t, t = next.apply(t)) {
            if (t == node) {
                if (prev == null) {
                    table[h] = next.apply(t);
                } else {
                    setNext.accept(prev, next.apply(t));
                }
                break;
            }
        }
        setNext.accept(node, null);
    }
}
