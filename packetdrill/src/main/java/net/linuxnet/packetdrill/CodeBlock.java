package net.linuxnet.packetdrill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code %{ }%} blocks of {@code code.c}, without Python: packetdrill appends
 * {@code tcpi_x = value} lines for the socket's {@code TCP_INFO} snapshot and then the block's
 * text to a Python file. This class evaluates the subset scripts use for checks: statements
 * {@code assert EXPR[, message]} and {@code pass}, separated by newlines or {@code ;}, with
 * {@code #} comments and {@code \} continuations; expressions of integers, the snapshot's
 * variables and the {@code TCP_*} / {@code TCPI_OPT_*} / {@code TCP_CA_*} constants, with
 * {@code or and not}, chained comparisons, {@code | & + - * / // %} and parentheses. Anything
 * else fails with a message naming it.
 */
final class CodeBlock {

    /** A failed assertion or an unsupported construct: the message, without file and line. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> toks = new ArrayList<>();
    private final Function<String, Double> vars;
    private int i;

    private CodeBlock(Function<String, Double> vars) {
        this.vars = vars;
    }

    /**
     * Runs {@code text}; {@code vars} gives a variable's value or null if there is none.
     *
     * @throws Failure on a false assertion or anything outside the subset
     */
    static void run(String text, Function<String, Double> vars) {
        String joined = text.replace("\\\n", " ");
        StringBuilder stmt = new StringBuilder();
        int depth = 0;
        List<String> statements = new ArrayList<>();
        for (String line : joined.split("\n", -1)) {
            String l = stripComment(line);
            for (char c : l.toCharArray()) {
                if (c == '(' || c == '[') {
                    depth++;
                } else if (c == ')' || c == ']') {
                    depth--;
                }
            }
            stmt.append(' ').append(l);
            if (depth <= 0) {
                for (String s : stmt.toString().split(";")) {
                    if (!s.isBlank()) {
                        statements.add(s.strip());
                    }
                }
                stmt.setLength(0);
                depth = 0;
            }
        }
        for (String s : statements) {
            CodeBlock cb = new CodeBlock(vars);
            cb.tokenize(s);
            cb.statement(s);
        }
    }

    private static String stripComment(String line) {
        boolean inStr = false;
        char q = 0;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (inStr) {
                if (c == q) {
                    inStr = false;
                }
            } else if (c == '"' || c == '\'') {
                inStr = true;
                q = c;
            } else if (c == '#') {
                return line.substring(0, k);
            }
        }
        return line;
    }

    private void tokenize(String s) {
        int k = 0;
        while (k < s.length()) {
            char c = s.charAt(k);
            if (Character.isWhitespace(c)) {
                k++;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                int j = k;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) {
                    j++;
                }
                toks.add(s.substring(k, j));
                k = j;
            } else if (c == '"' || c == '\'') {
                int j = s.indexOf(c, k + 1);
                if (j < 0) {
                    throw new Failure("unterminated string in %{ }%: " + s);
                }
                toks.add(s.substring(k, j + 1));
                k = j + 1;
            } else {
                String two = k + 1 < s.length() ? s.substring(k, k + 2) : "";
                if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("//")
                        || two.equals("**") || two.equals("<<") || two.equals(">>")) {
                    toks.add(two);
                    k += 2;
                } else {
                    toks.add(String.valueOf(c));
                    k++;
                }
            }
        }
    }

    private String peek() {
        return i < toks.size() ? toks.get(i) : "";
    }

    private String take() {
        return i < toks.size() ? toks.get(i++) : "";
    }

    private void statement(String text) {
        String first = take();
        if (first.equals("pass")) {
            return;
        }
        if (!first.equals("assert")) {
            throw new Failure("unsupported statement in %{ }% (only 'assert' is supported): " + text);
        }
        double v = expr();
        String message = null;
        int messageStart = -1;
        if (peek().equals(",")) {
            take();
            messageStart = i;
            message = String.join(" ", toks.subList(i, toks.size()));
            i = toks.size();
        }
        if (i != toks.size()) {
            throw new Failure("unsupported expression in %{ }% near '" + peek() + "': " + text);
        }
        if (v == 0) {
            String shown = message;
            if (message != null && !message.startsWith("\"") && !message.startsWith("'")) {
                // Python prints the message expression's value: do so when it is one we can evaluate
                try {
                    i = messageStart;
                    double m = expr();
                    if (i == toks.size()) {
                        shown = message + " = " + number(m);
                    }
                } catch (Failure f) {
                    // shown as written
                }
            }
            String cond = text.substring(text.indexOf("assert") + 6).strip();
            int comma = message != null ? cond.lastIndexOf(',') : -1;
            throw new Failure("assertion failed: " + (comma > 0 ? cond.substring(0, comma).strip() : cond)
                    + (shown != null ? " (" + shown + ")" : ""));
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
    }

    private double expr() {
        double v = and();
        while (peek().equals("or")) {
            take();
            double w = and();
            v = v != 0 ? v : w;
        }
        return v;
    }

    private double and() {
        double v = not();
        while (peek().equals("and")) {
            take();
            double w = not();
            v = v == 0 ? v : w;
        }
        return v;
    }

    private double not() {
        if (peek().equals("not")) {
            take();
            return not() == 0 ? 1 : 0;
        }
        return comparison();
    }

    private double comparison() {
        double left = bitor();
        boolean result = true;
        boolean any = false;
        while (true) {
            String op = peek();
            if (!(op.equals("==") || op.equals("!=") || op.equals("<") || op.equals("<=") || op.equals(">") || op.equals(">="))) {
                break;
            }
            take();
            double right = bitor();
            boolean r = switch (op) {
                case "==" -> left == right;
                case "!=" -> left != right;
                case "<" -> left < right;
                case "<=" -> left <= right;
                case ">" -> left > right;
                default -> left >= right;
            };
            result &= r;
            any = true;
            left = right;
        }
        return any ? (result ? 1 : 0) : left;
    }

    private double bitor() {
        double v = bitand();
        while (peek().equals("|")) {
            take();
            v = (long) v | (long) bitand();
        }
        return v;
    }

    private double bitand() {
        double v = sum();
        while (peek().equals("&")) {
            take();
            v = (long) v & (long) sum();
        }
        return v;
    }

    private double sum() {
        double v = term();
        while (peek().equals("+") || peek().equals("-")) {
            v = take().equals("+") ? v + term() : v - term();
        }
        return v;
    }

    private double term() {
        double v = factor();
        while (peek().equals("*") || peek().equals("/") || peek().equals("//") || peek().equals("%")) {
            String op = take();
            double w = factor();
            if (w == 0 && !op.equals("*")) {
                throw new Failure("division by zero in %{ }%");
            }
            v = switch (op) {
                case "*" -> v * w;
                case "/" -> v / w;
                case "//" -> Math.floor(v / w);
                default -> v - w * Math.floor(v / w);
            };
        }
        return v;
    }

    private double factor() {
        String t = take();
        if (t.equals("-")) {
            return -factor();
        }
        if (t.equals("+")) {
            return factor();
        }
        if (t.equals("(")) {
            double v = expr();
            if (!take().equals(")")) {
                throw new Failure("missing ')' in %{ }%");
            }
            return v;
        }
        if (t.isEmpty()) {
            throw new Failure("incomplete expression in %{ }%");
        }
        if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') {
            try {
                if (t.startsWith("0x")) {
                    return Long.parseLong(t.substring(2), 16);
                }
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new Failure("bad number in %{ }%: " + t);
            }
        }
        if (t.equals("True")) {
            return 1;
        }
        if (t.equals("False")) {
            return 0;
        }
        if (peek().equals("(") || peek().equals("[") || peek().equals(".")) {
            throw new Failure("unsupported in %{ }%: '" + t + peek() + "' (calls, indexing and attributes are not supported)");
        }
        if (Character.isLetter(t.charAt(0)) || t.charAt(0) == '_') {
            Double v = vars.apply(t);
            if (v == null) {
                throw new Failure("unsupported in %{ }%: unknown name '" + t + "'");
            }
            return v;
        }
        throw new Failure("unsupported in %{ }%: '" + t + "'");
    }
}
