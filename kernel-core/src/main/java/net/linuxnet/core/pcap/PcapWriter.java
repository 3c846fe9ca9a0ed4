package net.linuxnet.core.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.core.dev.NetCore;

/**
 * Writes the frames a device sends and receives to a pcap file (link type Ethernet, time
 * stamps in nanoseconds of simulated time, magic {@code 0xa1b23c4d}), as {@code tcpdump -i dev
 * -w file --time-stamp-precision=nano} would. It watches the device from outside the kernel's
 * tap lists, so capturing changes no counter. Writing allocates nothing per frame.
 */
public final class PcapWriter implements NetCore.FrameObserver, AutoCloseable {
    /** {@code LINKTYPE_ETHERNET}. */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAPLEN = 262144;

    private final OutputStream out;
    private final byte[] record = new byte[16];
    private final Path path;
    private long frames;

    public PcapWriter(Path path) {
        this.path = path;
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            byte[] h = new byte[24];
            putLe32(h, 0, 0xa1b23c4d);
            putLe16(h, 4, 2);
            putLe16(h, 6, 4);
            putLe32(h, 16, SNAPLEN);
            putLe32(h, 20, LINKTYPE_ETHERNET);
            out.write(h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pcap " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void frame(SkBuff skb, int macOffset, long tstamp, boolean outgoing) {
        int len = skb.tail() - macOffset;
        int caplen = Math.min(len, SNAPLEN);
        putLe32(record, 0, (int) (tstamp / 1_000_000_000L));
        putLe32(record, 4, (int) (tstamp % 1_000_000_000L));
        putLe32(record, 8, caplen);
        putLe32(record, 12, len);
        try {
            out.write(record);
            out.write(skb.head(), macOffset, caplen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pcap " + path + ": " + e.getMessage(), e);
        }
        frames++;
    }

    public long frames() {
        return frames;
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pcap " + path + ": " + e.getMessage(), e);
        }
    }

    private static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
