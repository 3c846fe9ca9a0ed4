package net.linuxnet.apps.packet;

import net.linuxnet.api.app.Application;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.IfEther;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.apps.AppOptions;

/**
 * The {@code af-packet} application kind: a counting AF_PACKET raw socket, as
 * {@code socket(AF_PACKET, SOCK_RAW, htons(proto))} followed by an optional {@code bind} to one
 * device ({@code packet_create} and {@code packet_do_bind} in {@code net/packet/af_packet.c}).
 *
 * <pre>
 *   key       meaning                                           default
 *   dev       the device bound (sll_ifindex)                    all devices
 *   proto     "all" (ETH_P_ALL) or an ethertype: 0x0800, 2048   all
 *   outgoing  count sent frames too (PACKET_OUTGOING);           false
 *             needs proto = all
 * </pre>
 */
public final class AfPacketType implements ApplicationType {

    public static final String KIND = "af-packet";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Application create(String name, Kernel kernel, Options options) {
        String devName = options.has("dev") ? options.getString("dev") : null;
        String protoText = options.getString("proto", "all");
        boolean outgoing = options.getBoolean("outgoing", false);

        NetDevice dev = null;
        if (devName != null) {
            dev = AppOptions.device(options, kernel, devName, false, ", or no dev for all devices");
        }
        int proto = parseProto(protoText);
        if (proto < 0) {
            throw options.error("proto", "'" + protoText + "' is not an ethertype"
                    + " (expected: all, or a number 0x0001..0xffff such as 0x0800)");
        }
        if (outgoing && proto != IfEther.ETH_P_ALL) {
            throw options.error("outgoing", "only ETH_P_ALL taps see outgoing frames (expected: proto = all, or outgoing = false)");
        }
        return new PacketSock(name, kernel, proto, dev, outgoing);
    }

    /** {@code all}, {@code 0x0800} or {@code 2048}; -1 if it is none of these or out of 1..0xffff. */
    static int parseProto(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("all")) {
            return IfEther.ETH_P_ALL;
        }
        int value;
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                value = Integer.parseInt(t.substring(2), 16);
            } else {
                value = Integer.parseInt(t);
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return value >= 1 && value <= 0xffff ? value : -1;
    }
}
