package net.linuxnet.packetdrill;

import java.util.ArrayDeque;
import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.IrqDesc;
import net.linuxnet.api.kernel.IrqHandler;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NapiStruct;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.net.NetDeviceOps;
import net.linuxnet.api.net.NetdevTx;
import net.linuxnet.api.net.SkBuff;
import net.linuxnet.api.plugin.NetDeviceDriverProvider;

/**
 * Registers link kind {@value #KIND}: the {@code tun0} of packetdrill's {@code netdev.c}, seen
 * from the kernel under test. packetdrill writes the remote peer's packets into the tun file
 * descriptor and reads what the kernel transmits; here the runner does both through
 * {@link Tun#inject} and {@link Tun#poll}.
 *
 * <p>The model's IPv4 output needs a link layer, so the device is an Ethernet device (like a
 * {@code tap}) and the runner gives the host a permanent neighbour entry for the gateway: each
 * injected IPv4 packet gets an Ethernet header addressed to the device, and each transmitted
 * frame loses its Ethernet header before the runner sees it. Receive goes the way of an
 * interrupt-driven NIC (the frame lands in a ring, the IRQ schedules NAPI, the poll hands it to
 * {@code napi_gro_receive}), so injection is safe from outside any CPU's work, as
 * {@code tun_get_user} → {@code netif_rx} is from a writer's system call.
 */
public final class TunDriverProvider implements NetDeviceDriverProvider {

    /** The link kind. */
    public static final String KIND = "packetdrill-tun";
    /** The MAC address packetdrill's remote side (the gateway) uses in this model. */
    public static final byte[] PEER_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetDeviceDriver> drivers() {
        return List.of(new Driver());
    }

    /** One transmitted IPv4 packet, with the simulated time the driver got it. */
    public record Sent(long timeNs, byte[] ip) {
    }

    /** The state of one tun device: frames written by the runner, IPv4 packets the kernel sent. */
    public static final class Tun {
        private final NetDevice dev;
        private final ArrayDeque<SkBuff> rx = new ArrayDeque<>();
        private final ArrayDeque<Sent> tx = new ArrayDeque<>();
        private IrqDesc irq;
        private NapiStruct napi;

        Tun(NetDevice dev) {
            this.dev = dev;
        }

        /** The state of a {@value #KIND} device. */
        public static Tun of(NetDevice dev) {
            return dev.priv();
        }

        /** The device. */
        public NetDevice dev() {
            return dev;
        }

        /** Receives the IPv4 packet {@code ip} from the remote side (packetdrill's {@code write} to the tun fd). */
        public void inject(byte[] ip) {
            Kernel k = dev.kernel();
            int len = IfEther.ETH_HLEN + ip.length;
            SkBuff skb = k.netdevAllocSkb(dev, len);
            int off = skb.put(len);
            byte[] eth = new byte[IfEther.ETH_HLEN];
            System.arraycopy(dev.devAddr(), 0, eth, 0, 6);
            System.arraycopy(PEER_MAC, 0, eth, 6, 6);
            eth[12] = 0x08;
            eth[13] = 0x00;
            skb.putBytes(off, eth, 0, eth.length);
            skb.putBytes(off + eth.length, ip, 0, ip.length);
            rx.add(skb);
            irq.raise();
        }

        /** The oldest IPv4 packet the kernel sent that the runner has not read, or null. */
        public Sent poll() {
            return tx.poll();
        }

        /** Whether a sent packet waits to be read. */
        public boolean hasSent() {
            return !tx.isEmpty();
        }
    }

    /** {@code tun_netdev_ops}, as a tap: Ethernet framing, a receive ring and NAPI. */
    static final class Driver implements NetDeviceDriver, NetDeviceOps {

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void setup(NetDevice dev) {
            dev.setType(IfEther.ARPHRD_ETHER);
            dev.setHardHeaderLen(IfEther.ETH_HLEN);
            dev.setMtu(IfEther.ETH_DATA_LEN);
            dev.setMtuRange(68, 65535);
            dev.setTxQueueLen(NetDevice.DEFAULT_TX_QUEUE_LEN);
            dev.setFlags(NetDevice.IFF_BROADCAST | NetDevice.IFF_MULTICAST);
            // no qdisc unless the script's init command gives one (tc qdisc add dev tun0 root ...)
            dev.setPrivFlags(dev.privFlags() | NetDevice.IFF_NO_QUEUE);
            dev.setKind(KIND);
            dev.setOps(this);
            dev.setPriv(new Tun(dev));
        }

        @Override
        public void newLink(NetDevice dev, Options options, LinkContext ctx) {
        }

        @Override
        public int ndoOpen(NetDevice dev) {
            Tun tun = Tun.of(dev);
            Kernel k = dev.kernel();
            tun.napi = k.netifNapiAdd(dev, this::poll, NapiStruct.NAPI_POLL_WEIGHT);
            tun.irq = k.requestIrq(dev.name() + "-rx", irq -> {
                irq.disable();
                k.napiSchedule(tun.napi);
                return IrqHandler.IRQ_HANDLED;
            });
            return 0;
        }

        /** Frees what the kernel has not yet taken from the runner. */
        @Override
        public int ndoStop(NetDevice dev) {
            Tun tun = Tun.of(dev);
            SkBuff skb;
            while ((skb = tun.rx.poll()) != null) {
                dev.kernel().consumeSkb(skb);
            }
            return 0;
        }

        private int poll(NapiStruct napi, int budget) {
            Tun tun = Tun.of(napi.dev());
            Kernel k = napi.dev().kernel();
            int done = 0;
            SkBuff skb;
            while (done < budget && (skb = tun.rx.poll()) != null) {
                napi.dev().stats().rxPackets++;
                napi.dev().stats().rxBytes += skb.len();
                k.ethTypeTrans(skb, napi.dev());
                k.napiGroReceive(napi, skb);
                done++;
            }
            if (done < budget && k.napiCompleteDone(napi, done)) {
                tun.irq.enable();
            }
            return done;
        }

        /** {@code tun_net_xmit}: the frame goes to the reader (the runner); IPv4 only, without its Ethernet header. */
        @Override
        public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
            Tun tun = Tun.of(dev);
            dev.stats().txPackets++;
            dev.stats().txBytes += skb.len();
            byte[] frame = skb.toByteArray();
            if (frame.length > IfEther.ETH_HLEN && frame[12] == 0x08 && frame[13] == 0x00) {
                byte[] ip = new byte[frame.length - IfEther.ETH_HLEN];
                System.arraycopy(frame, IfEther.ETH_HLEN, ip, 0, ip.length);
                tun.tx.add(new Sent(dev.kernel().ktimeGetNs(), ip));
            }
            dev.kernel().devConsumeSkbAny(skb);
            return NetdevTx.NETDEV_TX_OK;
        }
    }
}
