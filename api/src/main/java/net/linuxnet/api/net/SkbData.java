package net.linuxnet.api.net;

/**
 * The data block behind one or more {@link SkBuff} headers, with the reference count that
 * {@code skb_shared_info.dataref} keeps: clones share one block, and the block goes back to
 * its pool when the last header using it is freed.
 */
final class SkbData {
    final byte[] buf;
    final int sizeClass;
    int dataref;

    SkbData(int sizeClass, int length) {
        this.sizeClass = sizeClass;
        this.buf = new byte[length];
    }
}
