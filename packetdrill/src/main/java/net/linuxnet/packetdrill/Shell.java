package net.linuxnet.packetdrill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import net.linuxnet.api.kernel.MibCounter;
import net.linuxnet.api.net.NetDevice;
import net.linuxnet.packetdrill.Script.Event;

/**
 * The shell commands of packetdrill scripts, interpreted as operations on the model instead of
 * run with {@code system(3)}: the {@code defaults.sh} profile (the sysctls of
 * {@code gtests/net/common/defaults.sh} the model has), {@code sysctl -q k=v},
 * {@code set_sysctls.py /proc/sys/...=v}, {@code echo v > /proc/sys/...},
 * {@code ip link set dev tun0 mtu N}, {@code ethtool -K tun0 ...} (a no-op: the model's TCP does
 * not segment in the device), {@code tc qdisc add|replace dev tun0 root KIND [limit N]} in the
 * init command (it configures the world), {@code nstat} (history kept per run as nstat keeps
 * its file) with {@code | grep [-q] [-v] [-E] PATTERN} stages, {@code !} negation, and the
 * restore script of {@code set_sysctls.py}. Commands are separated by {@code ;}, {@code &&} or
 * newlines; each must succeed, as packetdrill requires of the whole command. Anything else
 * fails the script with a message naming the command.
 */
final class Shell {

    /**
     * The profile of {@code defaults.sh} (the Linux selftests' and google/packetdrill's copies
     * agree on these). Sysctls the model does not have are skipped.
     */
    static final Map<String, String> DEFAULTS_SH = new LinkedHashMap<>();

    static {
        DEFAULTS_SH.put("net.ipv4.tcp_rmem", "4096 540000 15728640");
        DEFAULTS_SH.put("net.ipv4.tcp_wmem", "4096 262144 4194304");
        DEFAULTS_SH.put("net.ipv4.tcp_timestamps", "1");
        DEFAULTS_SH.put("net.ipv4.tcp_syn_retries", "5");
        DEFAULTS_SH.put("net.ipv4.tcp_synack_retries", "5");
        DEFAULTS_SH.put("net.ipv4.tcp_frto", "2");
        DEFAULTS_SH.put("net.ipv4.tcp_sack", "1");
        DEFAULTS_SH.put("net.ipv4.tcp_dsack", "1");
        DEFAULTS_SH.put("net.ipv4.tcp_fack", "0");
        DEFAULTS_SH.put("net.ipv4.tcp_reordering", "3");
        DEFAULTS_SH.put("net.ipv4.tcp_congestion_control", "cubic");
        DEFAULTS_SH.put("net.ipv4.tcp_slow_start_after_idle", "0");
        DEFAULTS_SH.put("net.ipv4.tcp_early_retrans", "4");
        DEFAULTS_SH.put("net.ipv4.tcp_recovery", "1");
        DEFAULTS_SH.put("net.ipv4.tcp_tso_win_divisor", "3");
        DEFAULTS_SH.put("net.ipv4.tcp_ecn", "0");
        DEFAULTS_SH.put("net.ipv4.tcp_pacing_ss_ratio", "200");
        DEFAULTS_SH.put("net.ipv4.tcp_pacing_ca_ratio", "120");
        DEFAULTS_SH.put("net.ipv4.tcp_notsent_lowat", "4294967295");
        DEFAULTS_SH.put("net.ipv4.tcp_fastopen", "0x3");
        DEFAULTS_SH.put("net.ipv4.tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4");
        DEFAULTS_SH.put("net.ipv4.tcp_syncookies", "1");
    }

    /**
     * One operation: either {@code qdiscConf} (a root qdisc for the world's configuration) or an
     * action on the running model. {@code optional} qdiscs come from the profile and are skipped
     * during the run.
     */
    record Op(Event event, String text, String qdiscConf, boolean optional, Runnable action) {
    }

    private final PacketdrillRunner.Run run;
    private final Map<String, Long> nstatHistory = new LinkedHashMap<>();

    Shell(PacketdrillRunner.Run run) {
        this.run = run;
    }

    private ScriptError unsupported(Event e, String cmd, String why) {
        return run.error(e, "error: unsupported command: `" + cmd + "`" + (why != null ? ": " + why : ""));
    }

    /** Splits {@code text} into operations, checking what it can before the run. */
    List<Op> parse(Event e, String text) {
        List<Op> ops = new ArrayList<>();
        for (String cmd : splitList(text)) {
            boolean negate = false;
            String c = cmd.strip();
            if (c.startsWith("!")) {
                negate = true;
                c = c.substring(1).strip();
            }
            List<List<String>> pipeline = new ArrayList<>();
            for (String stage : splitOutsideQuotes(c, "|")) {
                pipeline.add(words(e, stage.strip()));
            }
            List<String> w = pipeline.get(0);
            if (w.isEmpty()) {
                continue;
            }
            String prog = w.get(0);
            String base = prog.substring(prog.lastIndexOf('/') + 1);
            final String shown = c;
            if (pipeline.size() > 1 && !base.equals("nstat")) {
                throw unsupported(e, c, "pipelines are supported after nstat only");
            }
            if (negate && !base.equals("nstat")) {
                throw unsupported(e, c, "'!' is supported before nstat pipelines only");
            }
            switch (base) {
                case "defaults.sh" -> {
                    ops.add(new Op(e, c, null, false, () -> {
                        for (Map.Entry<String, String> s : DEFAULTS_SH.entrySet()) {
                            if (run.host.sysctlTable().contains(s.getKey())) {
                                setSysctl(e, shown, s.getKey(), s.getValue());
                            }
                        }
                    }));
                    ops.add(new Op(e, c, "root { kind = pfifo }", true, null));
                }
                case "sysctl" -> {
                    List<String[]> sets = new ArrayList<>();
                    for (String a : w.subList(1, w.size())) {
                        if (a.startsWith("-")) {
                            if (!a.matches("-[qwe]+")) {
                                throw unsupported(e, c, "sysctl option " + a);
                            }
                            continue;
                        }
                        int eq = a.indexOf('=');
                        if (eq <= 0) {
                            throw unsupported(e, c, "only sysctl writes (name=value) are supported");
                        }
                        sets.add(new String[] {a.substring(0, eq).replace('/', '.'), a.substring(eq + 1)});
                    }
                    ops.add(new Op(e, c, null, false, () -> sets.forEach(s -> setSysctl(e, shown, s[0], s[1]))));
                }
                case "set_sysctls.py" -> {
                    List<String[]> sets = new ArrayList<>();
                    for (String a : w.subList(1, w.size())) {
                        int eq = a.indexOf('=');
                        if (eq <= 0 || !a.startsWith("/proc/sys/")) {
                            throw unsupported(e, c, "expected /proc/sys/...=value arguments");
                        }
                        sets.add(new String[] {procName(a.substring(0, eq)), a.substring(eq + 1)});
                    }
                    ops.add(new Op(e, c, null, false, () -> sets.forEach(s -> setSysctl(e, shown, s[0], s[1]))));
                }
                case "echo" -> {
                    int gt = w.indexOf(">");
                    if (gt < 0 || gt != w.size() - 2 || !w.get(gt + 1).startsWith("/proc/sys/")) {
                        throw unsupported(e, c, "echo is supported as 'echo VALUE > /proc/sys/...' only");
                    }
                    String name = procName(w.get(gt + 1));
                    String value = String.join(" ", w.subList(1, gt));
                    ops.add(new Op(e, c, null, false, () -> setSysctl(e, shown, name, value)));
                }
                case "ip" -> {
                    // ip link set [dev] tun0 mtu N
                    List<String> a = new ArrayList<>(w.subList(1, w.size()));
                    a.remove("dev");
                    if (a.size() != 5 || !a.get(0).equals("link") || !a.get(1).equals("set") || !a.get(3).equals("mtu")) {
                        throw unsupported(e, c, "only 'ip link set dev DEV mtu N' is supported");
                    }
                    String dev = a.get(2);
                    int mtu;
                    try {
                        mtu = Integer.parseInt(a.get(4));
                    } catch (NumberFormatException ex) {
                        throw unsupported(e, c, "bad MTU " + a.get(4));
                    }
                    ops.add(new Op(e, c, null, false, () -> {
                        NetDevice d = device(e, shown, dev);
                        if (mtu < 68 || mtu > 65535) {
                            throw run.error(e, "error: command failed: `" + shown + "`: Error: mtu " + mtu + " out of range");
                        }
                        d.setMtu(mtu);
                    }));
                }
                case "ethtool" -> {
                    if (w.size() < 3 || !w.get(1).equals("-K")) {
                        throw unsupported(e, c, "only 'ethtool -K DEV feature on|off' is supported");
                    }
                    String dev = w.get(2);
                    ops.add(new Op(e, c, null, false, () -> device(e, shown, dev)));
                }
                case "tc" -> ops.add(new Op(e, c, tcQdisc(e, c, w), false, null));
                case "nstat" -> {
                    boolean neg = negate;
                    ops.add(new Op(e, c, null, false, () -> nstat(e, shown, pipeline, neg)));
                }
                case "true", ":" -> {
                }
                case "rm" -> {
                    for (String a : w.subList(1, w.size())) {
                        if (!a.startsWith("-") && !a.startsWith("/tmp/sysctl_restore_")) {
                            throw unsupported(e, c, "rm is supported for set_sysctls.py's restore script only");
                        }
                    }
                }
                default -> {
                    if (prog.startsWith("/tmp/sysctl_restore_")) {
                        break; // the restore script: the world is discarded after the run
                    }
                    throw unsupported(e, c, null);
                }
            }
        }
        return ops;
    }

    void execute(Op op) {
        if (op.qdiscConf() != null) {
            return;
        }
        if (op.action() != null) {
            op.action().run();
        }
    }

    private NetDevice device(Event e, String cmd, String name) {
        NetDevice d = run.host.devGetByName(name);
        if (d == null) {
            throw run.error(e, "error: command failed: `" + cmd + "`: Cannot find device \"" + name + "\"");
        }
        return d;
    }

    private static String procName(String path) {
        return path.substring("/proc/sys/".length()).replace('/', '.');
    }

    private void setSysctl(Event e, String cmd, String name, String value) {
        if (!name.startsWith("net.ipv4.") && !name.startsWith("net.core.")) {
            throw unsupported(e, cmd, "sysctl " + name + " is outside net.ipv4 and net.core");
        }
        if (!run.host.sysctlTable().contains(name)) {
            throw unsupported(e, cmd, "sysctl " + name + " is not modelled");
        }
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
        }
        if (v.startsWith("0x")) {
            try {
                v = Long.toString(Long.parseLong(v.substring(2), 16));
            } catch (NumberFormatException ex) {
                // not a number: the table says so below
            }
        }
        try {
            run.host.sysctl().set(name, v);
        } catch (IllegalArgumentException ex) {
            throw run.error(e, "error: command failed: `" + cmd + "`: " + ex.getMessage());
        }
    }

    /** {@code tc qdisc add|replace dev DEV root KIND [key value]...}: the root qdisc's configuration. */
    private String tcQdisc(Event e, String cmd, List<String> w) {
        if (w.size() < 7 || !w.get(1).equals("qdisc") || !(w.get(2).equals("add") || w.get(2).equals("replace"))
                || !w.get(3).equals("dev") || !w.get(5).equals("root")) {
            throw unsupported(e, cmd, "only 'tc qdisc add|replace dev tun0 root KIND [key value]...' is supported");
        }
        if (!w.get(4).equals("tun0")) {
            throw unsupported(e, cmd, "no device " + w.get(4));
        }
        StringBuilder sb = new StringBuilder("root { kind = ").append(w.get(6));
        List<String> rest = w.subList(7, w.size());
        if (rest.size() % 2 != 0) {
            throw unsupported(e, cmd, "qdisc options must be key value pairs");
        }
        for (int k = 0; k < rest.size(); k += 2) {
            if (!rest.get(k).matches("[a-z_]+") || !rest.get(k + 1).matches("[0-9a-zA-Z.]+")) {
                throw unsupported(e, cmd, "qdisc option " + rest.get(k) + " " + rest.get(k + 1));
            }
            sb.append(", ").append(rest.get(k)).append(" = \"").append(rest.get(k + 1)).append('"');
        }
        return sb.append(" }").toString();
    }

    /**
     * {@code nstat} as {@code misc/nstat.c}: without {@code -a}, the increase since the history
     * (the last {@code nstat} that updated it); {@code -n} prints nothing, {@code -s} keeps the
     * history, {@code -z} shows zeros. Then the {@code grep} stages; the status is the last stage's.
     */
    private void nstat(Event e, String cmd, List<List<String>> pipeline, boolean negate) {
        List<String> w = pipeline.get(0);
        boolean absolute = false;
        boolean noOutput = false;
        boolean keepHistory = false;
        boolean zeros = false;
        List<Pattern> only = new ArrayList<>();
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("--")) {
                throw unsupported(e, cmd, "nstat option " + a);
            }
            if (a.startsWith("-")) {
                for (char f : a.substring(1).toCharArray()) {
                    switch (f) {
                        case 'a' -> absolute = true;
                        case 'n' -> noOutput = true;
                        case 's' -> keepHistory = true;
                        case 'z' -> zeros = true;
                        case 'r' -> nstatHistory.clear();
                        default -> throw unsupported(e, cmd, "nstat option -" + f);
                    }
                }
            } else {
                try {
                    only.add(Pattern.compile(a));
                } catch (PatternSyntaxException ex) {
                    throw unsupported(e, cmd, "bad nstat pattern " + a);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        Map<String, Long> nowValues = new LinkedHashMap<>();
        for (Map.Entry<String, MibCounter> m : new TreeMap<>(run.host.mibCounters()).entrySet()) {
            long v = m.getValue().get();
            nowValues.put(m.getKey(), v);
            long shown = absolute ? v : v - nstatHistory.getOrDefault(m.getKey(), 0L);
            boolean match = only.isEmpty() || only.stream().anyMatch(p -> p.matcher(m.getKey()).lookingAt());
            if (match && (shown != 0 || zeros)) {
                lines.add(String.format("%-32s%-16d%6.1f", m.getKey(), shown, 0.0)); // nstat.c: dump_kern_db
            }
        }
        if (!keepHistory) {
            nstatHistory.putAll(nowValues);
        }
        if (noOutput) {
            lines.clear();
        }
        boolean ok = true;
        for (List<String> g : pipeline.subList(1, pipeline.size())) {
            if (g.isEmpty() || !g.get(0).equals("grep")) {
                throw unsupported(e, cmd, "only grep may follow nstat in a pipeline");
            }
            boolean invert = false;
            boolean extended = false;
            boolean ignoreCase = false;
            boolean word = false;
            String pattern = null;
            for (String a : g.subList(1, g.size())) {
                if (a.startsWith("-") && pattern == null && a.length() > 1) {
                    for (char f : a.substring(1).toCharArray()) {
                        switch (f) {
                            case 'q' -> {
                            }
                            case 'v' -> invert = true;
                            case 'E' -> extended = true;
                            case 'F' -> extended = false;
                            case 'i' -> ignoreCase = true;
                            case 'w' -> word = true;
                            default -> throw unsupported(e, cmd, "grep option -" + f);
                        }
                    }
                } else if (pattern == null) {
                    pattern = a;
                } else {
                    throw unsupported(e, cmd, "grep reads the pipeline only (no file arguments)");
                }
            }
            if (pattern == null) {
                throw unsupported(e, cmd, "grep without a pattern");
            }
            String re = extended ? pattern : bre(pattern);
            if (word) {
                re = "\\b(?:" + re + ")\\b";
            }
            Pattern p;
            try {
                p = Pattern.compile(re, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException ex) {
                throw unsupported(e, cmd, "bad grep pattern " + pattern);
            }
            List<String> kept = new ArrayList<>();
            for (String l : lines) {
                if (p.matcher(l).find() != invert) {
                    kept.add(l);
                }
            }
            lines = kept;
            ok = !lines.isEmpty();
        }
        if (ok == negate) {
            String first = pipeline.size() > 1 && pipeline.get(1).size() >= 2 ? pipeline.get(1).getLast() : "";
            throw run.error(e, "error: command failed: `" + cmd + "`" + (pipeline.size() > 1 ? "\n  nstat -a shows: "
                    + String.join("\n                  ", nstatLines(first)) : ""));
        }
    }

    /** The non-zero counters, those whose name contains {@code filter} if there are any. */
    private List<String> nstatLines(String filter) {
        boolean any = run.host.mibCounters().entrySet().stream()
                .anyMatch(m -> m.getKey().contains(filter) && m.getValue().get() != 0 && !filter.isEmpty());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, MibCounter> m : new TreeMap<>(run.host.mibCounters()).entrySet()) {
            long v = m.getValue().get();
            if (v != 0 && (!any || m.getKey().contains(filter))) {
                out.add(m.getKey() + " " + v);
            }
        }
        return out.isEmpty() ? List.of("(all counters 0)") : out;
    }

    /** A basic regular expression as a Java one: {@code + ? { } | ( )} are literal unless escaped. */
    private static String bre(String p) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < p.length(); k++) {
            char c = p.charAt(k);
            if (c == '\\' && k + 1 < p.length()) {
                char d = p.charAt(++k);
                if ("+?{}|()".indexOf(d) >= 0) {
                    sb.append(d);
                } else {
                    sb.append('\\').append(d);
                }
            } else if ("+?{}|()".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Splits on newlines, {@code ;} and {@code &&} outside quotes. */
    private static List<String> splitList(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (c == '\\' && k + 1 < text.length() && text.charAt(k + 1) == '\n') {
                k++;
                cur.append(' ');
            } else if (c == '\n' || c == ';') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c == '&' && k + 1 < text.length() && text.charAt(k + 1) == '&') {
                out.add(cur.toString());
                cur.setLength(0);
                k++;
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        out.removeIf(String::isBlank);
        return out;
    }

    private static List<String> splitOutsideQuotes(String text, String sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (text.startsWith(sep, k)) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Shell words: quotes removed, {@code >} separate, {@code $VAR} refused but packetdrill's pid ({@code $PACKETDRILL_PID}, {@code $PPID}). */
    private List<String> words(Event e, String cmd) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int k = 0; k < cmd.length(); k++) {
            char c = cmd.charAt(k);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else if (c == '>') {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                out.add(">");
            } else if (c == '$' && !cmd.startsWith("${PACKETDRILL_PID}", k) && !cmd.startsWith("$PACKETDRILL_PID", k)
                    && !cmd.startsWith("${PPID}", k) && !cmd.startsWith("$PPID", k)) {
                throw unsupported(e, cmd, "shell variables and substitutions are not supported");
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
