package net.linuxnet.apps.packet;

import static java.util.Objects.requireNonNull;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ResultWriter;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetRx;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.net.SkBuff;

/**
 * An AF_PACKET {@code SOCK_RAW} socket that counts what it receives, as {@code struct
 * packet_sock} with its {@code prot_hook} and {@code packet_rcv()} in
 * {@code net/packet/af_packet.c}.
 *
 * <p>{@link #start()} registers the hook ({@code register_prot_hook}, {@code dev_add_pack}):
 * with {@code ETH_P_ALL} it is a tap on {@code ptype_all} and sees every frame received on its
 * device (or on all devices when unbound) and, with {@code outgoing}, every frame sent through
 * {@code dev_queue_xmit_nit} (these arrive as {@code PACKET_OUTGOING}); with another ethertype
 * it sits on {@code ptype_base} and sees received frames of that type only, as on Linux, where
 * only {@code ptype_all} handlers see transmitted frames.
 *
 * <p>{@code packet_rcv} ignores frames looped back by {@code dev_loopback_xmit}
 * ({@code PACKET_LOOPBACK}). A raw socket reads the frame from its MAC header, so
 * {@code bytes} counts from {@code skb_mac_header} to the tail: {@code skb->len} plus the
 * pulled link-layer header on receive, {@code skb->len} on transmit. The socket has no receive
 * queue in the model: each frame is counted ({@code tp_packets}) and consumed at once, so it
 * never drops. {@link #stop()} unregisters the hook ({@code dev_remove_pack}).
 */
public final class PacketSock implements Application {

    private final String name;
    private final Kernel kernel;
    /** {@code po->prot_hook}. */
    private final ProtHook protHook;
    private boolean running;
    private long received;
    private long bytes;
    private final PktgenOrder pktgenOrder = new PktgenOrder();

    /**
     * @param proto the ethertype bound, host order, or {@link IfEther#ETH_P_ALL}
     * @param dev the device bound ({@code sll_ifindex}), or null for all devices
     * @param outgoing whether sent frames are counted too; only with {@code ETH_P_ALL}
     */
    public PacketSock(String name, Kernel kernel, int proto, NetDevice dev, boolean outgoing) {
        this.name = requireNonNull(name, "name is null");
        this.kernel = requireNonNull(kernel, "kernel is null");
        if (outgoing && proto != IfEther.ETH_P_ALL) {
            throw new IllegalArgumentException("outgoing frames reach ETH_P_ALL taps only, not 0x" + Integer.toHexString(proto));
        }
        this.protHook = new ProtHook(proto, dev, outgoing);
    }

    public String name() {
        return name;
    }

    /** Registers the hook ({@code register_prot_hook}). */
    @Override
    public void start() {
        if (!running) {
            running = true;
            kernel.devAddPack(protHook);
        }
    }

    /**
     * Nothing: the socket stays open until the process exits at the end of the run, so frames
     * still in flight while the world drains are counted too.
     */
    @Override
    public void stop() {
    }

    /**
     * {@code received} ({@code tp_packets}) and {@code bytes}; when pktgen frames were
     * received, also how many ({@code pktgen_frames}) and how many of them came after a
     * later-sent frame of their flow ({@code pktgen_reordered}), as a receiver reading
     * pktgen's header would count them.
     */
    @Override
    public void report(ResultWriter out) {
        out.put("received", received).put("bytes", bytes);
        if (pktgenOrder.frames() > 0) {
            out.put("pktgen_frames", pktgenOrder.frames()).put("pktgen_reordered", pktgenOrder.reordered());
        }
    }

    /** Frames counted so far. */
    public long received() {
        return received;
    }

    /** Bytes counted so far, link-layer header included. */
    public long bytes() {
        return bytes;
    }

    /**
     * {@code packet_rcv}: counts the frame from its MAC header and consumes the reference
     * it was given.
     */
    private int packetRcv(SkBuff skb) {
        if (skb.pktType() != SkBuff.PACKET_LOOPBACK) {
            received++;
            bytes += skb.macHeaderWasSet() ? skb.tail() - skb.macHeader() : skb.len();
            if (skb.pktType() != SkBuff.PACKET_OUTGOING && skb.macHeaderWasSet()) {
                pktgenOrder.frame(skb);
            }
        }
        kernel.consumeSkb(skb);
        return NetRx.NET_RX_SUCCESS;
    }

    /** {@code po->prot_hook}: the {@code struct packet_type} whose {@code func} is {@code packet_rcv}. */
    private final class ProtHook implements PacketType {
        private final int type;
        private final NetDevice dev;
        private final boolean outgoing;

        ProtHook(int type, NetDevice dev, boolean outgoing) {
            this.type = type;
            this.dev = dev;
            this.outgoing = outgoing;
        }

        @Override
        public int type() {
            return type;
        }

        @Override
        public NetDevice dev() {
            return dev;
        }

        @Override
        public boolean tapsTransmit() {
            return outgoing;
        }

        @Override
        public int func(SkBuff skb, NetDevice dev, NetDevice origDev) {
            return packetRcv(skb);
        }

        @Override
        public String toString() {
            return "packet_rcv(" + name + ", 0x" + Integer.toHexString(type) + ")";
        }
    }
}
