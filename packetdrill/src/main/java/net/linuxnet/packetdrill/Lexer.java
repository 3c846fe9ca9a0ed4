package net.linuxnet.packetdrill;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into tokens, following packetdrill's {@code lexer.l}: {@code //} and
 * {@code /* *}{@code /} comments (not {@code #}), numbers ({@code [-]?[0-9]*\.[0-9]+} floats,
 * {@code [-]?[0-9]+} and {@code 0x} integers), IPv4 literals, words, strings, backquoted
 * commands, {@code %{ }%} code, {@code ...}, and any other character by itself.
 */
final class Lexer {
    private final String file;
    private final String s;
    private int pos;
    private int line = 1;

    Lexer(String file, String text) {
        this.file = file;
        this.s = text;
    }

    /** The tokens from {@code line} on, starting at {@code offset}. */
    static List<Token> tokenize(String file, String text, int offset, int firstLine) {
        Lexer lx = new Lexer(file, text);
        lx.pos = offset;
        lx.line = firstLine;
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.kind() != Token.Kind.EOF);
        return out;
    }

    private ScriptError error(String msg) {
        return new ScriptError(file, line, "error: " + msg);
    }

    private char peek(int k) {
        return pos + k < s.length() ? s.charAt(pos + k) : '\0';
    }

    private Token next() {
        skipBlank();
        if (pos >= s.length()) {
            return new Token(Token.Kind.EOF, "", 0, line);
        }
        int start = pos;
        int startLine = line;
        char c = s.charAt(pos);
        if (c == '%' && peek(1) == '{') {
            int end = s.indexOf("}%", pos + 2);
            if (end < 0) {
                throw error("unterminated %{ code block");
            }
            String body = s.substring(pos + 2, end);
            advance(end + 2);
            return new Token(Token.Kind.CODE, body, 0, startLine);
        }
        if (c == '`') {
            int end = s.indexOf('`', pos + 1);
            if (end < 0) {
                throw error("unterminated backquoted command");
            }
            String body = s.substring(pos + 1, end);
            advance(end + 1);
            return new Token(Token.Kind.BACKQUOTE, body, 0, startLine);
        }
        if (c == '"') {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != '"') {
                char d = s.charAt(pos++);
                if (d == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '0' -> '\0';
                        default -> e;
                    });
                } else {
                    if (d == '\n') {
                        line++;
                    }
                    sb.append(d);
                }
            }
            if (pos >= s.length()) {
                throw new ScriptError(file, startLine, "error: unterminated string");
            }
            pos++;
            return new Token(Token.Kind.STRING, sb.toString(), 0, startLine);
        }
        if (c == '.' && peek(1) == '.' && peek(2) == '.') {
            pos += 3;
            return new Token(Token.Kind.ELLIPSIS, "...", 0, startLine);
        }
        boolean neg = c == '-' && (Character.isDigit(peek(1)) || (peek(1) == '.' && Character.isDigit(peek(2))));
        if (Character.isDigit(c) || neg || (c == '.' && Character.isDigit(peek(1)))) {
            return number(start, startLine);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Token.Kind.WORD, s.substring(start, pos), 0, startLine);
        }
        pos++;
        return new Token(Token.Kind.PUNCT, String.valueOf(c), 0, startLine);
    }

    private Token number(int start, int startLine) {
        if (s.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            pos += 2;
            while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0) {
                pos++;
            }
            String hex = s.substring(start + 2, pos);
            if (hex.isEmpty()) {
                throw error("bad hex number");
            }
            try {
                return new Token(Token.Kind.INT, s.substring(start, pos), Long.parseUnsignedLong(hex, 16), startLine);
            } catch (NumberFormatException e) {
                throw error("number out of range: 0x" + hex);
            }
        }
        // an IPv4 literal: four dotted decimal groups
        int p = pos;
        int groups = 0;
        while (true) {
            int q = p;
            while (q < s.length() && Character.isDigit(s.charAt(q))) {
                q++;
            }
            if (q == p) {
                break;
            }
            groups++;
            p = q;
            if (groups < 4 && p < s.length() && s.charAt(p) == '.' && p + 1 < s.length() && Character.isDigit(s.charAt(p + 1))) {
                p++;
            } else {
                break;
            }
        }
        if (groups == 4 && s.charAt(pos) != '-') {
            pos = p;
            return new Token(Token.Kind.IPV4, s.substring(start, pos), 0, startLine);
        }
        if (s.charAt(pos) == '-') {
            pos++;
        }
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos < s.length() && s.charAt(pos) == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
            pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            return new Token(Token.Kind.FLOAT, s.substring(start, pos), 0, startLine);
        }
        String text = s.substring(start, pos);
        try {
            return new Token(Token.Kind.INT, text, Long.parseLong(text), startLine);
        } catch (NumberFormatException e) {
            throw error("number out of range: " + text);
        }
    }

    private void advance(int to) {
        for (int i = pos; i < to; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        pos = to;
    }

    private void skipBlank() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && peek(1) == '/') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int end = s.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("unterminated /* comment");
                }
                advance(end + 2);
            } else {
                break;
            }
        }
    }
}
