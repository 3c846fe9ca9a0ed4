package net.linuxnet.packetdrill;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.linuxnet.api.sock.SockaddrIn;

/**
 * packetdrill's command-line flags ({@code config.c}) that this runner understands, with their
 * defaults. In-script option lines are applied first, then the command line again, so the
 * command line wins. A flag of packetdrill's that changes what a run means but is not modelled
 * fails the script, naming it; flags that only change packetdrill's own output are accepted.
 */
final class Flags {
    /** Flags accepted and ignored: they change packetdrill's output or its process, not the run. */
    private static final Set<String> IGNORED = Set.of("verbose", "v", "debug",
            "send_omit_free", "non_fatal", "init_scripts", "code_command", "code_format", "code_sockopt");

    String ipVersion = "ipv4";
    int localIp = SockaddrIn.aton("192.168.0.1");
    int remoteIp = SockaddrIn.aton("192.0.2.1");
    int gatewayIp = SockaddrIn.aton("192.168.0.1");
    int prefixLen = 16;
    int bindPort = 8080;
    int connectPort = 8080;
    long toleranceUsecs = 4000;
    double tolerancePercent = 12.5;
    int mtu = 1500;
    long tsTickUsecs;
    boolean tsEcrScaled;
    boolean strictSegments;
    boolean dryRun;
    final Map<String, String> defines = new LinkedHashMap<>();

    /** Applies {@code name=value} (no leading dashes); returns an error message or null. */
    String apply(String name, String value) {
        if (name.startsWith("D.") && name.length() > 2) {
            defines.put(name.substring(2), value);
            return null;
        }
        try {
            switch (name) {
                case "ip_version" -> {
                    if (!value.equals("ipv4")) {
                        return "unsupported --ip_version=" + value + ": this runner models IPv4 only";
                    }
                    ipVersion = value;
                }
                case "local_ip" -> localIp = SockaddrIn.aton(value);
                case "remote_ip" -> remoteIp = SockaddrIn.aton(value);
                case "gateway_ip" -> gatewayIp = SockaddrIn.aton(value);
                case "netmask_ip" -> prefixLen = Integer.bitCount(SockaddrIn.aton(value));
                case "bind_port" -> bindPort = Integer.parseInt(value);
                case "connect_port" -> connectPort = Integer.parseInt(value);
                case "tolerance_usecs" -> toleranceUsecs = Long.parseLong(value);
                case "tolerance_percent" -> tolerancePercent = Double.parseDouble(value);
                case "mtu" -> mtu = Integer.parseInt(value);
                case "tcp_ts_tick_usecs" -> tsTickUsecs = Long.parseLong(value);
                case "tcp_ts_ecr_scaled" -> tsEcrScaled = true;
                case "strict_segments" -> strictSegments = true;
                case "dry_run" -> dryRun = true;
                case "define", "D" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        return "bad --define " + value + " (expected NAME=value)";
                    }
                    defines.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> {
                    if (!IGNORED.contains(name)) {
                        return "unsupported flag --" + name;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return "bad value for --" + name + ": '" + value + "'";
        }
        return null;
    }
}
