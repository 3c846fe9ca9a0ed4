package net.linuxnet.api.net;

/**
 * A socket buffer: one packet and its metadata, as {@code struct sk_buff} in
 * {@code include/linux/skbuff.h}.
 *
 * <p>The packet bytes live in one byte array, the <em>head</em>, shared by clones through an
 * {@link SkbData} block with its own reference count ({@code dataref}). Four offsets into the
 * head delimit the regions, and {@code 0 <= data <= tail <= end <= head.length} always holds:
 *
 * <pre>
 *   head              data                    tail             end
 *    |<-- headroom -->|<-------- len -------->|<-- tailroom -->|
 *    |                |  mac | network | ...  |                |
 *                      ^macHeader ^networkHeader ^transportHeader
 * </pre>
 *
 * <ul>
 *   <li>{@link #reserve(int)} moves {@code data} and {@code tail} forward on an empty buffer to
 *       make headroom ({@code skb_reserve}).</li>
 *   <li>{@link #push(int)} grows the packet at the front, into the headroom, to prepend a
 *       header ({@code skb_push}); {@link #pull(int)} strips one ({@code skb_pull}).</li>
 *   <li>{@link #put(int)} grows the packet at the end ({@code skb_put}); {@link #trim(int)}
 *       cuts it ({@code skb_trim}).</li>
 * </ul>
 *
 * <p>Ownership follows the kernel. {@code users} counts references to this header: whoever
 * holds one must eventually give it back through {@code Kernel.consumeSkb} (delivered) or
 * {@code Kernel.kfreeSkbReason} (dropped). The header and its data return to the
 * {@link SkBuffPool} they came from when the last reference goes. A double free always
 * throws; with the pool in debug mode a freed header is never reused, so a use after free
 * fails an assertion instead of reading another packet.
 *
 * <p>All offsets are absolute positions in {@link #head()}. Multi-byte accessors are big
 * endian (network order).
 */
public final class SkBuff {

    /** {@code pkt_type} values from {@code include/uapi/linux/if_packet.h}. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;
    public static final int PACKET_LOOPBACK = 5;

    /** {@code ip_summed} values. */
    public static final int CHECKSUM_NONE = 0;
    public static final int CHECKSUM_UNNECESSARY = 1;
    public static final int CHECKSUM_COMPLETE = 2;
    public static final int CHECKSUM_PARTIAL = 3;

    /** An unset header offset, as the kernel's {@code (typeof(skb->mac_header))~0U}. */
    public static final int NO_HEADER = -1;

    final SkBuffPool pool;
    SkbData shinfo;
    byte[] head;
    int data;
    int tail;
    int end;
    int users;
    boolean freed;

    /** Intrusive list links, as {@code skb->next}/{@code skb->prev}; owned by the list holding the skb. */
    SkBuff next;
    SkBuff prev;
    SkBuffHead list;

    private int macHeader = NO_HEADER;
    private int networkHeader = NO_HEADER;
    private int transportHeader = NO_HEADER;
    private int protocol;
    private NetDevice dev;
    private int skbIif;
    private int pktType;
    private int ipSummed;
    private int mark;
    private int priority;
    private int hash;
    private boolean l4Hash;
    private int queueMapping;
    /** {@code skb->tc_at_ingress}, {@code skb->redirected}, {@code skb->from_ingress}, {@code skb->tc_skip_classify}. */
    private boolean tcAtIngress;
    private boolean redirected;
    private boolean fromIngress;
    private boolean tcSkipClassify;
    private long tstamp;
    private int truesize;
    private Object sk;
    /** Room for the protocol that owns the skb, as {@code skb->cb[]}. */
    public long cb0;
    public long cb1;
    public long cb2;

    SkBuff(SkBuffPool pool) {
        this.pool = pool;
    }

    // ---- ownership -------------------------------------------------------------------------

    /** The pool this skb returns to when its last reference goes. */
    public SkBuffPool pool() {
        return pool;
    }

    /** References to this header ({@code refcount_read(&skb->users)}). */
    public int users() {
        checkLive();
        return users;
    }

    /** Takes one more reference ({@code skb_get}); the caller must free it separately. */
    public SkBuff get() {
        checkLive();
        users++;
        return this;
    }

    /**
     * Drops one reference ({@code skb_unref}) and tells whether it was the last one; the
     * caller then hands the skb to {@link SkBuffPool#release(SkBuff)}. Plugins call
     * {@code Kernel.consumeSkb} or {@code Kernel.kfreeSkbReason}, which do both and account.
     *
     * @throws IllegalStateException on a double free
     */
    public boolean unref() {
        if (freed || users <= 0) {
            throw new IllegalStateException("double free of skb (users=" + users + ", freed=" + freed + ")");
        }
        return --users == 0;
    }

    /** Whether this header was freed and not yet reallocated. */
    public boolean isFreed() {
        return freed;
    }

    /**
     * Makes a new header that shares this packet's data ({@code skb_clone}). Both headers
     * keep their own offsets; writing into shared data needs {@link #cloned()} to be false.
     */
    public SkBuff clone() {
        checkLive();
        SkBuff n = pool.allocHeader();
        n.shinfo = shinfo;
        shinfo.dataref++;
        n.head = head;
        n.data = data;
        n.tail = tail;
        n.end = end;
        n.copyMetadataFrom(this);
        return n;
    }

    /** Whether the data is shared with a clone ({@code skb_cloned}). */
    public boolean cloned() {
        checkLive();
        return shinfo.dataref > 1;
    }

    void copyMetadataFrom(SkBuff o) {
        macHeader = o.macHeader;
        networkHeader = o.networkHeader;
        transportHeader = o.transportHeader;
        protocol = o.protocol;
        dev = o.dev;
        skbIif = o.skbIif;
        pktType = o.pktType;
        ipSummed = o.ipSummed;
        mark = o.mark;
        priority = o.priority;
        hash = o.hash;
        l4Hash = o.l4Hash;
        queueMapping = o.queueMapping;
        tcAtIngress = o.tcAtIngress;
        redirected = o.redirected;
        fromIngress = o.fromIngress;
        tcSkipClassify = o.tcSkipClassify;
        tstamp = o.tstamp;
        truesize = o.truesize;
        cb0 = o.cb0;
        cb1 = o.cb1;
        cb2 = o.cb2;
    }

    void resetMetadata() {
        macHeader = NO_HEADER;
        networkHeader = NO_HEADER;
        transportHeader = NO_HEADER;
        protocol = 0;
        dev = null;
        skbIif = 0;
        pktType = PACKET_HOST;
        ipSummed = CHECKSUM_NONE;
        mark = 0;
        priority = 0;
        hash = 0;
        l4Hash = false;
        queueMapping = 0;
        tcAtIngress = false;
        redirected = false;
        fromIngress = false;
        tcSkipClassify = false;
        tstamp = 0;
        sk = null;
        destructor = null;
        cb0 = 0;
        cb1 = 0;
        cb2 = 0;
        next = null;
        prev = null;
        list = null;
    }

    private void checkLive() {
        assert !freed : "use of a freed skb";
    }

    // ---- data area -------------------------------------------------------------------------

    /** The byte array holding the packet; offsets below index into it. */
    public byte[] head() {
        checkLive();
        return head;
    }

    /** Offset of the first byte of the packet ({@code skb->data}). */
    public int data() {
        checkLive();
        return data;
    }

    /** Offset just past the last byte of the packet ({@code skb_tail_pointer}). */
    public int tail() {
        return tail;
    }

    /** Offset of the end of the usable buffer ({@code skb_end_pointer}). */
    public int end() {
        return end;
    }

    /** Bytes in the packet ({@code skb->len}). */
    public int len() {
        checkLive();
        return tail - data;
    }

    /** Free bytes before {@code data} ({@code skb_headroom}). */
    public int headroom() {
        return data;
    }

    /** Free bytes after {@code tail} ({@code skb_tailroom}). */
    public int tailroom() {
        return end - tail;
    }

    /**
     * Makes {@code len} bytes of headroom in an empty buffer ({@code skb_reserve}).
     *
     * @throws IllegalStateException if the buffer is not empty or has no room
     */
    public void reserve(int len) {
        checkLive();
        if (tail != data || len < 0 || tail + len > end) {
            throw new IllegalStateException(
                    "skb_reserve(" + len + ") on len=" + (tail - data) + " tailroom=" + (end - tail)
                            + " (expected: empty skb and len <= tailroom)");
        }
        data += len;
        tail += len;
    }

    /**
     * Adds {@code len} bytes at the end of the packet and returns the offset of the first
     * new byte ({@code skb_put}).
     *
     * @throws IllegalStateException when the tailroom is too small ({@code skb_over_panic})
     */
    public int put(int len) {
        checkLive();
        if (len < 0 || tail + len > end) {
            throw new IllegalStateException(
                    "skb_over_panic: put(" + len + ") with tailroom " + (end - tail));
        }
        int at = tail;
        tail += len;
        return at;
    }

    /**
     * Adds {@code len} bytes at the front of the packet and returns the new {@code data}
     * offset ({@code skb_push}).
     *
     * @throws IllegalStateException when the headroom is too small ({@code skb_under_panic})
     */
    public int push(int len) {
        checkLive();
        if (len < 0 || data - len < 0) {
            throw new IllegalStateException(
                    "skb_under_panic: push(" + len + ") with headroom " + data);
        }
        data -= len;
        return data;
    }

    /**
     * Removes {@code len} bytes from the front and returns the new {@code data} offset, or
     * -1 (and changes nothing) when the packet is shorter ({@code skb_pull} returns NULL).
     */
    public int pull(int len) {
        checkLive();
        if (len < 0 || len > tail - data) {
            return -1;
        }
        data += len;
        return data;
    }

    /** Whether at least {@code len} bytes are in the packet ({@code pskb_may_pull}). */
    public boolean mayPull(int len) {
        return len <= tail - data;
    }

    /** Cuts the packet to {@code len} bytes if it is longer ({@code skb_trim}). */
    public void trim(int len) {
        checkLive();
        if (len < 0) {
            throw new IllegalArgumentException("len: " + len + " (expected: >= 0)");
        }
        if (tail - data > len) {
            tail = data + len;
        }
    }

    // ---- header offsets --------------------------------------------------------------------

    public int macHeader() {
        return macHeader;
    }

    public int networkHeader() {
        return networkHeader;
    }

    public int transportHeader() {
        return transportHeader;
    }

    /** {@code skb_reset_mac_header}: the MAC header starts at {@code data}. */
    public void resetMacHeader() {
        macHeader = data;
    }

    /** {@code skb_reset_network_header}. */
    public void resetNetworkHeader() {
        networkHeader = data;
    }

    /** {@code skb_reset_transport_header}. */
    public void resetTransportHeader() {
        transportHeader = data;
    }

    public void setMacHeader(int offset) {
        macHeader = offset;
    }

    public void setNetworkHeader(int offset) {
        networkHeader = offset;
    }

    public void setTransportHeader(int offset) {
        transportHeader = offset;
    }

    /** {@code skb_mac_header_was_set}. */
    public boolean macHeaderWasSet() {
        return macHeader != NO_HEADER;
    }

    // ---- metadata --------------------------------------------------------------------------

    /** The ethertype in host order ({@code skb->protocol}, which the kernel keeps big endian). */
    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    /** The device the packet arrived on or leaves by ({@code skb->dev}). */
    public NetDevice dev() {
        return dev;
    }

    public void setDev(NetDevice dev) {
        this.dev = dev;
    }

    /** The ifindex the packet arrived on ({@code skb->skb_iif}). */
    public int skbIif() {
        return skbIif;
    }

    public void setSkbIif(int ifindex) {
        this.skbIif = ifindex;
    }

    public int pktType() {
        return pktType;
    }

    public void setPktType(int pktType) {
        this.pktType = pktType;
    }

    public int ipSummed() {
        return ipSummed;
    }

    public void setIpSummed(int ipSummed) {
        this.ipSummed = ipSummed;
    }

    public int mark() {
        return mark;
    }

    public void setMark(int mark) {
        this.mark = mark;
    }

    public int priority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    /** The flow hash ({@code skb->hash}); 0 means not computed. */
    public int hash() {
        return hash;
    }

    /** Sets the flow hash ({@code __skb_set_hash}); {@code l4} says it covers the ports. */
    public void setHash(int hash, boolean l4) {
        this.hash = hash;
        this.l4Hash = l4;
    }

    public boolean l4Hash() {
        return l4Hash;
    }

    public int queueMapping() {
        return queueMapping;
    }

    public void setQueueMapping(int queueMapping) {
        this.queueMapping = queueMapping;
    }

    /** {@code skb->tc_at_ingress}: set while the ingress filters run ({@code tcx_set_ingress}). */
    public boolean tcAtIngress() {
        return tcAtIngress;
    }

    public void setTcAtIngress(boolean v) {
        this.tcAtIngress = v;
    }

    /** {@code skb->redirected}: a mirred action sent it to another device. */
    public boolean redirected() {
        return redirected;
    }

    /** {@code skb->from_ingress}: it was redirected from a device's ingress. */
    public boolean fromIngress() {
        return fromIngress;
    }

    /** {@code skb_set_redirected}: marks the skb as redirected, from ingress or egress. */
    public void setRedirected(boolean fromIngress) {
        this.redirected = true;
        this.fromIngress = fromIngress;
    }

    /** {@code skb_reset_redirect}. */
    public void resetRedirect() {
        this.redirected = false;
    }

    /** {@code skb->tc_skip_classify}: ingress filters are skipped once (set by {@code ifb}). */
    public boolean tcSkipClassify() {
        return tcSkipClassify;
    }

    public void setTcSkipClassify(boolean v) {
        this.tcSkipClassify = v;
    }

    /** {@code skb_skip_tc_classify}: true once, clearing the flag. */
    public boolean skipTcClassify() {
        if (tcSkipClassify) {
            tcSkipClassify = false;
            return true;
        }
        return false;
    }

    /** Time stamp in nanoseconds of simulated time ({@code skb->tstamp}). */
    public long tstamp() {
        return tstamp;
    }

    public void setTstamp(long tstamp) {
        this.tstamp = tstamp;
    }

    /** Memory charged for this skb ({@code skb->truesize}): data buffer plus header. */
    public int truesize() {
        return truesize;
    }

    public void setTruesize(int truesize) {
        this.truesize = truesize;
    }

    /**
     * {@code skb->destructor}: called once, when the last reference to the skb goes and
     * before it returns to its pool, wherever it is freed ({@code skb_release_head_state}).
     * The socket layer uses it for {@code sock_wfree} and {@code sock_rfree}.
     */
    @FunctionalInterface
    public interface Destructor {
        void destruct(SkBuff skb);
    }

    private Destructor destructor;

    /**
     * {@code skb_orphan}: runs the destructor now (the owning socket is uncharged) and forgets
     * the owner, as a packet crossing to another owner ({@code skb_set_owner_r},
     * {@code dev_forward_skb}) must.
     */
    public void orphan() {
        Destructor d = destructor;
        if (d != null) {
            destructor = null;
            d.destruct(this);
        }
        sk = null;
    }

    /** The destructor, or null. */
    public Destructor destructor() {
        return destructor;
    }

    /** Sets the destructor, or clears it with null. */
    public void setDestructor(Destructor destructor) {
        this.destructor = destructor;
    }

    /** The owning socket ({@code skb->sk}), or null. */
    public Object sk() {
        return sk;
    }

    public void setSk(Object sk) {
        this.sk = sk;
    }

    /** Whether the skb sits on a {@link SkBuffHead} now. */
    public boolean onList() {
        return list != null;
    }

    // ---- byte access -----------------------------------------------------------------------

    public int getU8(int offset) {
        return head[offset] & 0xff;
    }

    public int getU16(int offset) {
        return ((head[offset] & 0xff) << 8) | (head[offset + 1] & 0xff);
    }

    public int getU32(int offset) {
        return ((head[offset] & 0xff) << 24) | ((head[offset + 1] & 0xff) << 16)
                | ((head[offset + 2] & 0xff) << 8) | (head[offset + 3] & 0xff);
    }

    public void putU8(int offset, int v) {
        head[offset] = (byte) v;
    }

    public void putU16(int offset, int v) {
        head[offset] = (byte) (v >>> 8);
        head[offset + 1] = (byte) v;
    }

    public void putU32(int offset, int v) {
        head[offset] = (byte) (v >>> 24);
        head[offset + 1] = (byte) (v >>> 16);
        head[offset + 2] = (byte) (v >>> 8);
        head[offset + 3] = (byte) v;
    }

    /** Copies {@code len} bytes from {@code src} into the buffer at {@code offset}. */
    public void putBytes(int offset, byte[] src, int srcOffset, int len) {
        System.arraycopy(src, srcOffset, head, offset, len);
    }

    /** Copies the packet bytes ({@code data} to {@code tail}) into a new array; for tests and tools. */
    public byte[] toByteArray() {
        checkLive();
        byte[] out = new byte[tail - data];
        System.arraycopy(head, data, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        if (freed) {
            return "SkBuff[freed]";
        }
        return "SkBuff[len=" + (tail - data) + ", protocol=0x" + Integer.toHexString(protocol)
                + ", dev=" + (dev == null ? "-" : dev.name()) + ", users=" + users + "]";
    }
}
