package net.linuxnet.distribution;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import net.linuxnet.api.app.ApplicationType;
import net.linuxnet.api.net.NetDeviceDriver;
import net.linuxnet.api.plugin.NetProtocolProvider;
import net.linuxnet.api.plugin.NfHookProvider;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.api.sched.QdiscOps;
import net.linuxnet.core.config.ConfigException;
import net.linuxnet.core.config.ScenarioLoader;
import net.linuxnet.core.config.WorldBuilder;
import net.linuxnet.core.host.Host;
import net.linuxnet.core.host.World;
import net.linuxnet.core.plugin.PluginException;
import net.linuxnet.core.plugin.PluginInfo;
import net.linuxnet.core.plugin.PluginManager;
import net.linuxnet.core.plugin.PluginRegistry;
import net.linuxnet.core.report.Report;
import net.linuxnet.packetdrill.PacketdrillRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * The {@code linuxnet} command line.
 *
 * <pre>
 *   linuxnet run [FILE] [--json FILE] [--seed N] [--duration 2s] [-D key=value]... [--plugins DIR]
 *   linuxnet check FILE [-D key=value]... [--plugins DIR]
 *   linuxnet plugins [--plugins DIR]
 *   linuxnet packetdrill [--tolerance_usecs=N] [-D NAME=VALUE]... [--plugins DIR] FILE.pkt...
 * </pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} ok, {@value #EXIT_USAGE} a bad scenario, a bad plugin or a
 * bad command line (each problem is printed to stderr as one line, most starting with
 * {@code file:line}), {@value #EXIT_INTERNAL} anything else ({@code linuxnet: internal error:
 * ...}, with the stack trace under {@code --verbose}).
 */
@Command(name = "linuxnet",
        mixinStandardHelpOptions = true,
        versionProvider = Linuxnet.Version.class,
        description = "A model of the Linux network stack: runs a scenario in simulated time and prints what"
                + " ip -s link, tc -s qdisc, nstat and /proc/net/softnet_stat would show.",
        subcommands = {Linuxnet.Run.class, Linuxnet.Check.class, Linuxnet.Plugins.class, Linuxnet.Packetdrill.class,
                CommandLine.HelpCommand.class})
public final class Linuxnet implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USAGE = 2;

    /** The embedded scenario {@code linuxnet run} runs without a file. */
    public static final String DEFAULT_SCENARIO = "/net/linuxnet/distribution/default.conf";

    /** Set by the launcher to the unpacked distribution; its {@code plugins/} is the default plugins directory. */
    static final String HOME_PROPERTY = "linuxnet.home";
    /** Set by the build for tests: poison freed skbs. */
    static final String SKB_DEBUG_PROPERTY = "linuxnet.skb.debug";

    /** Progress lines start after this much wall time, and follow at this interval. */
    private static final long PROGRESS_INTERVAL_NS = 500_000_000L;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an internal error.")
    boolean verbose;

    private final PrintStream out;
    private final PrintStream err;

    private Linuxnet(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @return the exit code: 0 ok, 2 bad configuration or usage, 1 internal error
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        Linuxnet root = new Linuxnet(out, err);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExitCodeExceptionMapper(e -> e instanceof UserError ? EXIT_USAGE : EXIT_INTERNAL);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("linuxnet: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try 'linuxnet " + commandPath(e.getCommandLine()) + "--help' for more information.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof UserError u) {
                u.lines.forEach(err::println);
                return EXIT_USAGE;
            }
            err.println("linuxnet: internal error: " + e);
            if (root.verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace)");
            }
            return EXIT_INTERNAL;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static String commandPath(CommandLine c) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
            sb.insert(0, p.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** {@code linuxnet} without a subcommand: the usage. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(err);
        return EXIT_USAGE;
    }

    // ---- options shared by the subcommands ---------------------------------------------------

    /** {@code --plugins DIR}. */
    static final class PluginOptions {
        @Option(names = "--plugins", paramLabel = "DIR",
                description = "The plugins directory: one sub-directory of jars per plugin"
                        + " (default: $linuxnet.home/plugins when run from the distribution).")
        Path dir;

        PluginManager load() {
            Path d = dir;
            if (d != null) {
                if (!Files.isDirectory(d)) {
                    throw new UserError("linuxnet: --plugins " + d + ": no such directory");
                }
            } else {
                String home = System.getProperty(HOME_PROPERTY);
                if (home != null && !home.isBlank()) {
                    d = Path.of(home, "plugins");
                }
            }
            try {
                return PluginManager.load(Linuxnet.class.getClassLoader(), d);
            } catch (PluginException e) {
                throw new UserError("linuxnet: plugin error: " + e.getMessage());
            }
        }
    }

    /** {@code -D key=value}, repeatable. */
    static final class OverrideOptions {
        @Option(names = "-D", paramLabel = "KEY=VALUE",
                description = "Override one setting of the scenario; KEY is the full path,"
                        + " such as linuxnet.run.seed or linuxnet.hosts.b.sysctl.\"net.core.netdev_max_backlog\".")
        List<String> defines = new ArrayList<>();

        Map<String, String> overrides() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String d : defines) {
                int eq = d.indexOf('=');
                if (eq <= 0) {
                    throw new UserError("linuxnet: -D " + d + ": expected KEY=VALUE, such as -D linuxnet.run.seed=3");
                }
                String key = d.substring(0, eq).strip();
                m.remove(key); // the last one wins, and goes on top
                m.put(key, d.substring(eq + 1).strip());
            }
            return m;
        }
    }

    /** Builds the world of a file, or of the embedded default scenario if {@code file} is null. */
    static World build(Path file, Map<String, String> overrides, PluginManager manager) {
        boolean debugPool = Boolean.getBoolean(SKB_DEBUG_PROPERTY);
        PluginRegistry plugins = manager;
        try {
            if (file != null) {
                return WorldBuilder.build(file, overrides, plugins, debugPool);
            }
            // read as a resource, so that errors (from -D overrides) name it with its line:
            // net/linuxnet/distribution/default.conf:58
            Config scenario = ConfigFactory.parseResources(Linuxnet.class, DEFAULT_SCENARIO,
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
            return WorldBuilder.build(ScenarioLoader.merge(scenario, overrides, plugins.referenceConfig()), plugins, debugPool);
        } catch (ConfigException e) {
            throw new UserError(e.errors());
        }
    }

    /** The text of the embedded default scenario. */
    static String defaultScenario() {
        try (InputStream in = Linuxnet.class.getResourceAsStream(DEFAULT_SCENARIO)) {
            if (in == null) {
                throw new IllegalStateException("the default scenario " + DEFAULT_SCENARIO + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- run ----------------------------------------------------------------------------------

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a scenario in simulated time and print the report."
                    + " Without FILE, runs the embedded default scenario (conf/default.conf).")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        Linuxnet root;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The scenario (HOCON).")
        Path file;

        @Option(names = "--json", paramLabel = "FILE",
                description = "Write the JSON report here (instead of the scenario's output.json).")
        Path json;

        @Option(names = "--seed", paramLabel = "N", description = "Override linuxnet.run.seed.")
        Long seed;

        @Option(names = "--duration", paramLabel = "TIME", description = "Override linuxnet.run.duration (such as 2s, 500ms).")
        String duration;

        @CommandLine.Mixin
        OverrideOptions overrides = new OverrideOptions();

        @CommandLine.Mixin
        PluginOptions plugins = new PluginOptions();

        @Override
        public Integer call() {
            Map<String, String> o = overrides.overrides();
            if (seed != null) {
                o.remove("linuxnet.run.seed");
                o.put("linuxnet.run.seed", String.valueOf(seed));
            }
            if (duration != null) {
                o.remove("linuxnet.run.duration");
                o.put("linuxnet.run.duration", duration);
            }
            World world = build(file, o, plugins.load());
            Progress progress = Progress.forTerminal(root.err);
            try {
                world.run(progress);
            } finally {
                if (progress != null) {
                    progress.clear();
                }
            }
            root.out.print(Report.text(world));
            root.out.flush();
            Path target = json != null ? json : world.jsonOutput();
            if (target != null) {
                writeJson(target, Report.json(world));
            }
            return EXIT_OK;
        }

        private static void writeJson(Path target, String text) {
            try {
                Path parent = target.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(target, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError("linuxnet: cannot write the JSON report to " + target + ": " + e);
            }
        }
    }

    /**
     * The progress line of a long run on a terminal:
     * {@code \r  t=0.42s/2.00s  events=1.2M  (3.4M events/s)} on stderr every half second of
     * wall time, erased when the run ends.
     */
    static final class Progress implements World.ProgressListener {
        private final PrintStream err;
        private final long startNs = System.nanoTime();
        private long nextNs = startNs + PROGRESS_INTERVAL_NS;
        private int width;

        Progress(PrintStream err) {
            this.err = err;
        }

        /** A progress printer if stdout is a terminal, else null (nothing printed). */
        static Progress forTerminal(PrintStream err) {
            Console c = System.console();
            return c != null && c.isTerminal() ? new Progress(err) : null;
        }

        @Override
        public void reached(long simulatedNs, long durationNs, long events) {
            long now = System.nanoTime();
            if (now < nextNs) {
                return;
            }
            nextNs = now + PROGRESS_INTERVAL_NS;
            double wallS = (now - startNs) / 1e9;
            String line = String.format(Locale.ROOT, "  t=%.2fs/%.2fs  events=%s  (%s events/s)",
                    simulatedNs / 1e9, durationNs / 1e9, si(events), si(wallS > 0 ? events / wallS : 0));
            width = Math.max(width, line.length());
            err.print("\r" + line);
            err.flush();
        }

        void clear() {
            if (width > 0) {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
            }
        }

        static String si(double v) {
            if (v >= 1e9) {
                return String.format(Locale.ROOT, "%.1fG", v / 1e9);
            }
            if (v >= 1e6) {
                return String.format(Locale.ROOT, "%.1fM", v / 1e6);
            }
            if (v >= 1e3) {
                return String.format(Locale.ROOT, "%.1fk", v / 1e3);
            }
            return String.format(Locale.ROOT, "%.0f", v);
        }
    }

    // ---- packetdrill --------------------------------------------------------------------------

    /**
     * {@code linuxnet packetdrill FILE.pkt...}: runs packetdrill scripts against a model host,
     * one fresh world per script, and prints {@code PASS file} or {@code FAIL file:line: ...}
     * for each. Exit 0 when all passed, 1 when any failed. The flags are packetdrill's own
     * ({@code config.c}); a flag given here overrides the script's option line.
     */
    @Command(name = "packetdrill", mixinStandardHelpOptions = true,
            description = "Run packetdrill scripts against a model host in simulated time; print PASS or the first"
                    + " mismatch of each. Exit 1 if any script failed.")
    static final class Packetdrill implements Callable<Integer> {
        @CommandLine.ParentCommand
        Linuxnet root;

        @Parameters(arity = "1..*", paramLabel = "FILE.pkt", description = "The scripts.")
        List<Path> files;

        @Option(names = "--tolerance_usecs", paramLabel = "N", description = "Timing tolerance in microseconds (default 4000).")
        Long toleranceUsecs;

        @Option(names = "--tolerance_percent", paramLabel = "P",
                description = "Timing tolerance as a percentage of the time since the previous event (default 12.5).")
        Double tolerancePercent;

        @Option(names = "--bind_port", paramLabel = "PORT", description = "The port of bind(fd, ..., ...) (default 8080).")
        Integer bindPort;

        @Option(names = "--connect_port", paramLabel = "PORT", description = "The port of connect(fd, ..., ...) (default 8080).")
        Integer connectPort;

        @Option(names = "--mtu", paramLabel = "N", description = "The MTU of tun0 (default 1500).")
        Integer mtu;

        @Option(names = "--ip_version", paramLabel = "V", description = "ipv4 (the only one modelled).")
        String ipVersion;

        @Option(names = "--local_ip", paramLabel = "ADDR", description = "The model host's address (default 192.168.0.1).")
        String localIp;

        @Option(names = "--remote_ip", paramLabel = "ADDR", description = "The remote peer's address (default 192.0.2.1).")
        String remoteIp;

        @Option(names = "--gateway_ip", paramLabel = "ADDR", description = "The next hop to the remote network.")
        String gatewayIp;

        @Option(names = "--netmask_ip", paramLabel = "MASK", description = "The local netmask (default 255.255.0.0).")
        String netmaskIp;

        @Option(names = "--tcp_ts_tick_usecs", paramLabel = "N", description = "Compare outbound TS val with this tick (default 0: not compared).")
        Long tsTick;

        @Option(names = "--strict_segments", description = "Do not aggregate outbound segments into one scripted packet.")
        boolean strictSegments;

        @Option(names = "--dry_run", description = "Only parse the scripts and check their options.")
        boolean dryRun;

        @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE", description = "Define a symbol for the scripts.")
        List<String> defines = new ArrayList<>();

        @CommandLine.Mixin
        PluginOptions plugins = new PluginOptions();

        @Override
        public Integer call() {
            Map<String, String> flags = new LinkedHashMap<>();
            put(flags, "tolerance_usecs", toleranceUsecs);
            put(flags, "tolerance_percent", tolerancePercent);
            put(flags, "bind_port", bindPort);
            put(flags, "connect_port", connectPort);
            put(flags, "mtu", mtu);
            put(flags, "ip_version", ipVersion);
            put(flags, "local_ip", localIp);
            put(flags, "remote_ip", remoteIp);
            put(flags, "gateway_ip", gatewayIp);
            put(flags, "netmask_ip", netmaskIp);
            put(flags, "tcp_ts_tick_usecs", tsTick);
            if (strictSegments) {
                flags.put("strict_segments", "");
            }
            if (dryRun) {
                flags.put("dry_run", "");
            }
            for (String d : defines) {
                int eq = d.indexOf('=');
                if (eq <= 0) {
                    throw new UserError("linuxnet: packetdrill: -D " + d + ": expected NAME=VALUE");
                }
                flags.put("D." + d.substring(0, eq), d.substring(eq + 1));
            }
            PacketdrillRunner runner = new PacketdrillRunner(plugins.load(), flags, Boolean.getBoolean(SKB_DEBUG_PROPERTY));
            int failed = 0;
            for (Path f : files) {
                PacketdrillRunner.Result r = runner.run(f);
                root.out.println(r.line());
                if (!r.passed()) {
                    failed++;
                }
            }
            root.out.flush();
            return failed == 0 ? EXIT_OK : 1;
        }

        private static void put(Map<String, String> flags, String name, Object v) {
            if (v != null) {
                flags.put(name, v.toString());
            }
        }
    }

    // ---- check --------------------------------------------------------------------------------

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a scenario without running it: every unknown key, name or bad value is"
                    + " reported with file:line and the accepted choices.")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        Linuxnet root;

        @Parameters(index = "0", paramLabel = "FILE", description = "The scenario (HOCON).")
        Path file;

        @CommandLine.Mixin
        OverrideOptions overrides = new OverrideOptions();

        @CommandLine.Mixin
        PluginOptions plugins = new PluginOptions();

        @Override
        public Integer call() {
            World world = build(file, overrides.overrides(), plugins.load());
            int devices = 0;
            for (Host h : world.hosts().values()) {
                devices += h.devices().size();
            }
            root.out.printf("%s: ok (%s, %s, %s)%n", file, count(world.hosts().size(), "host"), count(devices, "device"),
                    count(world.apps().size(), "app"));
            return EXIT_OK;
        }
    }

    // ---- plugins ------------------------------------------------------------------------------

    @Command(name = "plugins", mixinStandardHelpOptions = true,
            description = "List everything the built-in modules and the plugins directory register.")
    static final class Plugins implements Callable<Integer> {
        @CommandLine.ParentCommand
        Linuxnet root;

        @CommandLine.Mixin
        PluginOptions plugins = new PluginOptions();

        @Override
        public Integer call() {
            PluginManager pm = plugins.load();
            root.out.print(table(pm.plugins()));
            pm.pluginsDir().ifPresent(d -> root.out.println("plugins directory: " + d));
            return EXIT_OK;
        }

        static String table(List<PluginInfo> infos) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KIND", "NAME", "PLUGIN", "CLASS", "SOURCE"});
            for (PluginInfo p : infos) {
                rows.add(new String[] {p.kind(), p.name(), p.plugin(), p.className(), p.source()});
            }
            int[] w = new int[5];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            StringWriter sw = new StringWriter();
            PrintWriter pw = new PrintWriter(sw);
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(i == r.length - 1 ? r[i] : String.format("%-" + w[i] + "s  ", r[i]));
                }
                pw.println(line.toString().stripTrailing());
            }
            pw.flush();
            return sw.toString();
        }
    }

    // ---- support ------------------------------------------------------------------------------

    /** A problem of the user's making: printed line by line, exit 2, no stack trace. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<String> lines;

        UserError(String line) {
            this(List.of(line));
        }

        UserError(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = List.copyOf(lines);
        }
    }

    /** {@code --version}: the jar's Implementation-Version, if the manifest has one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Linuxnet.class.getPackage().getImplementationVersion();
            return new String[] {"linuxnet " + (v == null ? "(development build)" : v)};
        }
    }

    /** "1 host", "2 hosts". */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
