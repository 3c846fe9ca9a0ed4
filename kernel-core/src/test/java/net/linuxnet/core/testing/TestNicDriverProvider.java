package net.linuxnet.core.testing;

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
 * Registers link kind {@code testnic}: a one-queue NIC with an RX ring, an interrupt line and
 * a NAPI context, the shape of every interrupt-driven Ethernet driver, for the tests of the
 * IRQ, softirq and NAPI engine. The test plays the wire: {@link TestNic#wireReceive} is a
 * frame the NIC's DMA has written into the next free RX descriptor.
 *
 * <p>The driver does what {@code e1000_intr}, {@code e1000_clean} and
 * {@code e1000_clean_rx_irq} do, without the hardware details: the IRQ handler masks the
 * NIC's interrupts and schedules NAPI; the poll passes at most {@code budget} frames up with
 * {@code napi_gro_receive} and, if it did less than its budget, completes and unmasks. A
 * frame that finds the ring full is dropped by the hardware and counted in
 * {@code rx_missed_errors} (it never becomes an skb). Transmitted frames are counted and
 * freed at once.
 */
public final class TestNicDriverProvider implements NetDeviceDriverProvider {

    /** The link kind. */
    public static final String KIND = "testnic";

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<NetDeviceDriver> drivers() {
        return List.of(new Driver());
    }

    /** The per-device state ({@code netdev_priv}): the RX ring, the IRQ and the NAPI context. */
    public static final class TestNic {
        private final NetDevice dev;
        private SkBuff[] ring;
        private int head;
        private int count;
        private IrqDesc irq;
        private NapiStruct napi;

        TestNic(NetDevice dev) {
            this.dev = dev;
        }

        /** The state of a {@code testnic} device. */
        public static TestNic of(NetDevice dev) {
            return dev.priv();
        }

        /** The device's interrupt line. */
        public IrqDesc irq() {
            return irq;
        }

        /** Frames waiting in the RX ring. */
        public int ringUsed() {
            return count;
        }

        /**
         * The NIC receives {@code frame} from the wire: DMA into the next free descriptor, then
         * the interrupt (held back while the driver has it masked). Call it from outside any
         * CPU's work, as hardware does.
         */
        public void wireReceive(byte[] frame) {
            Kernel k = dev.kernel();
            if (count == ring.length) {
                dev.stats().rxMissedErrors++;
                return;
            }
            SkBuff skb = k.netdevAllocSkb(dev, frame.length);
            skb.putBytes(skb.put(frame.length), frame, 0, frame.length);
            ring[(head + count) % ring.length] = skb;
            count++;
            irq.raise();
        }
    }

    /** {@code testnic_netdev_ops} and its link ops. */
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
            dev.setTxQueueLen(NetDevice.DEFAULT_TX_QUEUE_LEN);
            dev.setFlags(NetDevice.IFF_BROADCAST | NetDevice.IFF_MULTICAST);
            dev.setKind(KIND);
            dev.setOps(this);
            dev.setPriv(new TestNic(dev));
        }

        /** Option {@code ring}: RX descriptors (default 256, as {@code e1000}'s default). */
        @Override
        public void newLink(NetDevice dev, Options options, LinkContext ctx) {
            TestNic nic = TestNic.of(dev);
            nic.ring = new SkBuff[(int) options.getLong("ring", 256, 1, 4096)];
        }

        /** {@code e1000_open}: the NAPI context and the IRQ line. */
        @Override
        public int ndoOpen(NetDevice dev) {
            TestNic nic = TestNic.of(dev);
            Kernel k = dev.kernel();
            nic.napi = k.netifNapiAdd(dev, this::poll, NapiStruct.NAPI_POLL_WEIGHT);
            nic.irq = k.requestIrq(dev.name() + "-rx", irq -> {
                irq.disable();
                k.napiSchedule(nic.napi);
                return IrqHandler.IRQ_HANDLED;
            });
            return 0;
        }

        /** {@code e1000_down}: the ring's frames are freed. */
        @Override
        public int ndoStop(NetDevice dev) {
            TestNic nic = TestNic.of(dev);
            while (nic.count > 0) {
                dev.kernel().consumeSkb(take(nic));
            }
            return 0;
        }

        private int poll(NapiStruct napi, int budget) {
            TestNic nic = TestNic.of(napi.dev());
            Kernel k = napi.dev().kernel();
            int done = 0;
            while (done < budget && nic.count > 0) {
                SkBuff skb = take(nic);
                napi.dev().stats().rxPackets++;
                napi.dev().stats().rxBytes += skb.len();
                k.ethTypeTrans(skb, napi.dev());
                k.napiGroReceive(napi, skb);
                done++;
            }
            if (done < budget && k.napiCompleteDone(napi, done)) {
                nic.irq.enable();
            }
            return done;
        }

        private static SkBuff take(TestNic nic) {
            SkBuff skb = nic.ring[nic.head];
            nic.ring[nic.head] = null;
            nic.head = (nic.head + 1) % nic.ring.length;
            nic.count--;
            return skb;
        }

        @Override
        public NetdevTx ndoStartXmit(SkBuff skb, NetDevice dev) {
            dev.stats().txPackets++;
            dev.stats().txBytes += skb.len();
            dev.kernel().devConsumeSkbAny(skb);
            return NetdevTx.NETDEV_TX_OK;
        }
    }
}
