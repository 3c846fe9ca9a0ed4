package net.linuxnet.packetdrill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.linuxnet.packetdrill.Script.Action;
import net.linuxnet.packetdrill.Script.Event;
import net.linuxnet.packetdrill.Script.Expr;
import net.linuxnet.packetdrill.Script.TcpOption;
import net.linuxnet.packetdrill.Script.TimeType;
import net.linuxnet.packetdrill.Token.Kind;

/**
 * Parses a script as packetdrill's {@code parser.y} does: option lines, then events, each a
 * time and an action (a TCP packet, a system call, a backquoted command or a {@code %{ }%}
 * block). Semantic checks of the grammar are kept: the first event is at time 0, inbound packets
 * give a window, {@code end = start + len}, ranges only on outbound packets. What the grammar
 * knows but this runner does not model (UDP, ICMP, encapsulations, TCP Fast Open, MD5) fails
 * here with a message naming the construct.
 */
final class Parser {
    private final String file;
    private List<Token> toks;
    private int i;

    private Parser(String file) {
        this.file = file;
    }

    /** Parses {@code text}, the contents of {@code file}. */
    static Script parse(String file, String text) {
        return new Parser(file).script(text);
    }

    private ScriptError error(Token t, String msg) {
        return new ScriptError(file, t.line(), "error: " + msg);
    }

    private Token peek() {
        return toks.get(i);
    }

    private Token peek(int k) {
        return toks.get(Math.min(i + k, toks.size() - 1));
    }

    private Token take() {
        Token t = toks.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private Token expect(String punct) {
        Token t = take();
        if (!t.is(punct)) {
            throw error(t, "syntax error: expected '" + punct + "' but found " + t);
        }
        return t;
    }

    private long integer(String what) {
        Token t = take();
        if (t.kind() != Kind.INT) {
            throw error(t, "syntax error: expected " + what + " (an integer) but found " + t);
        }
        return t.value();
    }

    private Script script(String text) {
        Map<String, String> options = new LinkedHashMap<>();
        // option lines (--name[=value]) come first; comments and blank lines may surround them
        int pos = 0;
        int line = 1;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = text.length();
            }
            String l = text.substring(pos, eol).strip();
            if (l.startsWith("/*")) {
                int end = text.indexOf("*/", pos);
                if (end < 0) {
                    break;
                }
                int after = text.indexOf('\n', end);
                after = after < 0 ? text.length() : after;
                if (!text.substring(end + 2, after).isBlank()) {
                    break;
                }
                line += (int) text.substring(pos, after).chars().filter(c -> c == '\n').count();
                pos = after;
                continue;
            }
            if (l.isEmpty() || l.startsWith("//")) {
                pos = eol + 1;
                line++;
                continue;
            }
            if (!l.startsWith("--")) {
                break;
            }
            String opt = l.substring(2);
            int cmt = opt.indexOf("//");
            if (cmt >= 0) {
                opt = opt.substring(0, cmt).strip();
            }
            int eq = opt.indexOf('=');
            String name = eq < 0 ? opt : opt.substring(0, eq);
            if (!name.matches("[a-zA-Z0-9_]+")) {
                throw new ScriptError(file, line, "error: bad option line: " + l);
            }
            options.put(name, eq < 0 ? "" : unquote(opt.substring(eq + 1).strip()));
            pos = eol + 1;
            line++;
        }
        toks = Lexer.tokenize(file, text, Math.min(pos, text.length()), line);
        List<Event> events = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            events.add(event());
        }
        if (events.isEmpty()) {
            throw new ScriptError(file, 0, "error: the script has no events");
        }
        for (Event e : events) {
            if (e.timeType() != TimeType.NONE) {
                if ((e.timeType() == TimeType.ABSOLUTE || e.timeType() == TimeType.RELATIVE) && e.startUs() != 0) {
                    throw new ScriptError(file, e.line(), "error: first event should be at time 0");
                }
                break;
            }
        }
        return new Script(file, options, events);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private Event event() {
        Token first = peek();
        if (first.kind() == Kind.BACKQUOTE || first.kind() == Kind.CODE) {
            return new Event(first.line(), TimeType.NONE, 0, 0, false, false, action());
        }
        TimeType type;
        long start = 0;
        long end = 0;
        boolean blocking = false;
        boolean endRelative = false;
        if (first.is("*")) {
            take();
            type = TimeType.ANY;
        } else {
            boolean rel = false;
            if (peek().is("+")) {
                take();
                rel = true;
            }
            start = usecs(take());
            type = rel ? TimeType.RELATIVE : TimeType.ABSOLUTE;
            if (peek().is("~")) {
                take();
                boolean rel2 = false;
                if (peek().is("+")) {
                    take();
                    rel2 = true;
                }
                if (rel != rel2) {
                    throw error(first, "bad time range: both ends must be relative (+) or both absolute");
                }
                end = usecs(take());
                type = rel ? TimeType.RELATIVE_RANGE : TimeType.ABSOLUTE_RANGE;
            } else if (peek().kind() == Kind.ELLIPSIS) {
                take();
                if (peek().is("+")) {
                    take();
                    endRelative = true;
                }
                end = usecs(take());
                blocking = true;
            }
        }
        Action a = action();
        if (blocking && !(a instanceof Script.Syscall)) {
            throw error(first, "a '...' time range is only allowed on system calls");
        }
        if ((type == TimeType.ANY || type == TimeType.ABSOLUTE_RANGE || type == TimeType.RELATIVE_RANGE)
                && !(a instanceof Script.Packet p && !p.inbound())) {
            throw error(first, "a time range or '*' is only allowed on outbound packets");
        }
        if ((type == TimeType.ABSOLUTE_RANGE || type == TimeType.RELATIVE_RANGE) && end < start) {
            throw error(first, "bad time range: the end is before the start");
        }
        return new Event(first.line(), type, start, end, blocking, endRelative, a);
    }

    private long usecs(Token t) {
        if (t.kind() == Kind.INT) {
            if (Math.abs(t.value()) > 1_000_000_000L) {
                throw error(t, "time out of range: " + t.text());
            }
            return t.value() * 1_000_000L;
        }
        if (t.kind() == Kind.FLOAT) {
            double v = Double.parseDouble(t.text());
            if (Math.abs(v) > 1e9) {
                throw error(t, "time out of range: " + t.text());
            }
            return Math.round(v * 1_000_000.0);
        }
        throw error(t, "syntax error: expected a time but found " + t);
    }

    private Action action() {
        Token t = peek();
        if (t.kind() == Kind.BACKQUOTE) {
            take();
            return new Script.Command(t.text());
        }
        if (t.kind() == Kind.CODE) {
            take();
            return new Script.Code(t.text());
        }
        if (t.is("<") || t.is(">")) {
            return packet();
        }
        if (t.kind() == Kind.WORD && peek(1).is("(")) {
            return syscall();
        }
        throw error(t, "syntax error: expected a packet, a system call, a `command` or %{ code }% but found " + t);
    }

    // ---- packets (tcp_packet.c / parser.y packet_spec) -----------------------------------------

    private Script.Packet packet() {
        Token dirTok = take();
        boolean inbound = dirTok.is("<");
        Integer tos = null;
        Integer ttl = null;
        if (peek().is("[") || (peek().is("(") && peek(1).kind() == Kind.WORD && !peek(2).is(")"))) {
            String close = take().is("[") ? "]" : ")";
            while (!peek().is(close)) {
                Token w = take();
                switch (w.text()) {
                    case "noecn", "ect0", "ect1", "ect01", "ce", "," -> {
                        if (!w.is(",") && !w.is("noecn")) {
                            throw error(w, "unsupported ip_info: ECN codepoint '" + w.text() + "'");
                        }
                    }
                    case "tos" -> tos = (int) integer("a TOS");
                    case "ttl" -> ttl = (int) integer("a TTL");
                    default -> throw error(w, "unsupported ip_info '" + w.text() + "' (supported: noecn, tos N, ttl N)");
                }
            }
            take();
        }
        Token t = peek();
        if (t.kind() == Kind.WORD && switch (t.text()) {
            case "udp", "icmp", "ipv4", "ipv6", "gre", "mpls", "encap" -> true;
            default -> false;
        }) {
            throw error(t, "unsupported packet type '" + t.text() + "': this runner models TCP packets only");
        }
        int sport = -1;
        int dport = -1;
        if (peek().kind() == Kind.INT && peek(1).is(">")) {
            sport = (int) take().value();
            take();
            dport = (int) integer("a destination port");
        }
        String flags = flags();
        Token seqTok = peek();
        long start = integer("a start sequence number");
        expect(":");
        long end = integer("an end sequence number");
        expect("(");
        long len = integer("a payload length");
        expect(")");
        if (((end - start) & 0xffffffffL) != len) {
            throw error(seqTok, "inconsistent TCP sequence numbers and payload length: " + start + ":" + end + "(" + len + ")");
        }
        Long ack = null;
        Long win = null;
        Long urg = null;
        while (peek().kind() == Kind.WORD) {
            switch (peek().text()) {
                case "ack" -> {
                    take();
                    ack = integer("an ack number");
                }
                case "win" -> {
                    take();
                    win = integer("a window");
                }
                case "urg" -> {
                    take();
                    urg = integer("an urgent pointer");
                }
                default -> throw error(peek(), "syntax error: unexpected '" + peek().text() + "' in a TCP packet");
            }
        }
        List<TcpOption> options = List.of();
        if (peek().is("<")) {
            take();
            if (peek().kind() == Kind.ELLIPSIS) {
                take();
                expect(">");
                if (inbound) {
                    throw error(dirTok, "<...> (any options) is only allowed on outbound packets");
                }
                options = null;
            } else {
                options = tcpOptions();
            }
        }
        if (inbound && win == null) {
            throw error(dirTok, "missing window for inbound TCP packet (add 'win N')");
        }
        if (ack != null && !flags.contains(".")) {
            throw error(dirTok, "'ack' given on a packet without the ACK flag ('.')");
        }
        return new Script.Packet(inbound, sport, dport, flags, start, len, ack, win, urg, options, tos, ttl);
    }

    /** {@code S}, {@code S.}, {@code F.}, {@code .}, {@code -}: the letters {@code SFRPUEWA} and {@code .} for ACK. */
    private String flags() {
        StringBuilder sb = new StringBuilder();
        Token t = peek();
        if (t.is("-")) {
            take();
            return "";
        }
        if (t.kind() == Kind.WORD) {
            take();
            for (char c : t.text().toCharArray()) {
                if ("SFRPUEWA".indexOf(c) < 0) {
                    throw error(t, "bad TCP flags '" + t.text() + "' (expected letters of SFRPUEWA and '.')");
                }
            }
            sb.append(t.text());
            if (peek().is(".")) {
                take();
                sb.append('.');
            }
        } else if (t.is(".")) {
            take();
            sb.append('.');
        } else {
            throw error(t, "syntax error: expected TCP flags but found " + t);
        }
        return sb.toString();
    }

    private List<TcpOption> tcpOptions() {
        Token open = peek();
        List<TcpOption> out = new ArrayList<>();
        while (true) {
            Token t = take();
            if (t.kind() != Kind.WORD) {
                throw error(t, "syntax error: expected a TCP option but found " + t);
            }
            switch (t.text()) {
                case "nop", "eol", "sackOK" -> out.add(new TcpOption(t.text(), 0, 0, null));
                case "mss" -> out.add(new TcpOption("mss", integer("an MSS"), 0, null));
                case "wscale" -> out.add(new TcpOption("wscale", integer("a window scale"), 0, null));
                case "sack" -> {
                    List<long[]> blocks = new ArrayList<>();
                    while (peek().kind() == Kind.INT) {
                        long l = integer("a SACK block start");
                        expect(":");
                        blocks.add(new long[] {l, integer("a SACK block end")});
                    }
                    if (blocks.isEmpty() || blocks.size() > 4) {
                        throw error(t, "a sack option takes 1 to 4 blocks L:R");
                    }
                    out.add(new TcpOption("sack", 0, 0, blocks));
                }
                case "TS" -> {
                    Token v = take();
                    if (!v.is("val")) {
                        throw error(v, "syntax error: expected 'val' after TS");
                    }
                    long val = integer("a TS val");
                    Token e = take();
                    if (!e.is("ecr")) {
                        throw error(e, "syntax error: expected 'ecr' after TS val");
                    }
                    out.add(new TcpOption("TS", val, integer("a TS ecr"), null));
                }
                case "FO", "FOEXP", "md5", "ECN", "exp", "mptcp" ->
                        throw error(t, "unsupported TCP option '" + t.text() + "' (supported: nop, eol, mss, wscale, sackOK, sack, TS)");
                default -> throw error(t, "unknown TCP option '" + t.text() + "'");
            }
            Token sep = take();
            if (sep.is(">")) {
                break;
            }
            if (!sep.is(",")) {
                throw error(sep, "syntax error: expected ',' or '>' in TCP options but found " + sep);
            }
        }
        int bytes = 0;
        for (TcpOption o : out) {
            bytes += switch (o.kind()) {
                case "nop", "eol" -> 1;
                case "mss" -> 4;
                case "wscale" -> 3;
                case "sackOK" -> 2;
                case "sack" -> 2 + 8 * o.blocks().size();
                default -> 10;
            };
        }
        if (bytes % 4 != 0) {
            throw error(open, "TCP options are " + bytes + " bytes: not a multiple of 4 (pad with nop)");
        }
        if (bytes > 40) {
            throw error(open, "TCP options are " + bytes + " bytes: more than 40");
        }
        return out;
    }

    // ---- system calls (run_system_call.c) ------------------------------------------------------

    private Script.Syscall syscall() {
        String name = take().text();
        expect("(");
        List<Expr> args = new ArrayList<>();
        if (!peek().is(")")) {
            args.add(expr());
            while (peek().is(",")) {
                take();
                args.add(expr());
            }
        }
        expect(")");
        expect("=");
        Expr result = expr();
        String errno = null;
        if (peek().kind() == Kind.WORD && peek().text().matches("E[A-Z0-9]+")) {
            errno = take().text();
        }
        if (peek().is("(")) {
            // the free-text note: (Operation now in progress)
            int depth = 0;
            do {
                Token t = take();
                if (t.kind() == Kind.EOF) {
                    throw error(t, "unterminated '(' note after a system call");
                }
                if (t.is("(")) {
                    depth++;
                } else if (t.is(")")) {
                    depth--;
                }
            } while (depth > 0);
        }
        return new Script.Syscall(name, args, result, errno);
    }

    private Expr expr() {
        Expr e = primary();
        while (peek().is("|")) {
            take();
            e = new Script.Or(e, primary());
        }
        return e;
    }

    /**
     * If the tokens at the cursor are a struct field name ({@code name =} or {@code name(...) =}),
     * the index of the {@code =}; else -1.
     */
    private int fieldNameEnd() {
        if (peek().kind() != Kind.WORD) {
            return -1;
        }
        if (peek(1).is("=")) {
            return i + 1;
        }
        if (!peek(1).is("(")) {
            return -1;
        }
        int depth = 0;
        for (int k = i + 1; k < toks.size(); k++) {
            Token t = toks.get(k);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")") && --depth == 0) {
                return k + 1 < toks.size() && toks.get(k + 1).is("=") ? k + 1 : -1;
            } else if (t.kind() == Kind.EOF) {
                return -1;
            }
        }
        return -1;
    }

    private Expr primary() {
        Token t = take();
        switch (t.kind()) {
            case INT -> {
                return new Script.Num(t.value());
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    sb.append(take().text());
                }
                return new Script.Str(sb.toString());
            }
            case ELLIPSIS -> {
                return new Script.Ellipsis();
            }
            case WORD -> {
                if (peek().is("(")) {
                    take();
                    List<Expr> args = new ArrayList<>();
                    if (!peek().is(")")) {
                        args.add(expr());
                        while (peek().is(",")) {
                            take();
                            args.add(expr());
                        }
                    }
                    expect(")");
                    return new Script.Call(t.text(), args);
                }
                return new Script.Sym(t.text());
            }
            case PUNCT -> {
                if (t.is("[")) {
                    List<Expr> items = new ArrayList<>();
                    if (!peek().is("]")) {
                        items.add(expr());
                        while (peek().is(",")) {
                            take();
                            items.add(expr());
                        }
                    }
                    expect("]");
                    return new Script.Array(items);
                }
                if (t.is("{")) {
                    Map<String, Expr> fields = new LinkedHashMap<>();
                    int n = 0;
                    while (!peek().is("}")) {
                        int after = fieldNameEnd();
                        if (after > 0) {
                            // name=expr, or name(N)=expr as in msg_iov(1)=[...] (the count is not needed)
                            String f = take().text();
                            while (i < after) {
                                take();
                            }
                            expect("=");
                            fields.put(f, expr());
                        } else {
                            fields.put("#" + n, expr());
                        }
                        n++;
                        if (peek().is(",")) {
                            take();
                        } else if (!peek().is("}")) {
                            throw error(peek(), "syntax error: expected ',' or '}' in a struct but found " + peek());
                        }
                    }
                    take();
                    return new Script.Struct(fields);
                }
            }
            default -> {
            }
        }
        throw error(t, "syntax error: unexpected " + t + " in an expression");
    }
}
