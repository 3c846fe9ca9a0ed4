package net.linuxnet.packetdrill;

/** One token of a script, as {@code lexer.l} defines them, with its line. */
record Token(Kind kind, String text, long value, int line) {

    /** The token kinds of {@code lexer.l}; {@code PUNCT} is any single other character. */
    enum Kind {
        INT, FLOAT, WORD, STRING, BACKQUOTE, CODE, ELLIPSIS, IPV4, PUNCT, EOF
    }

    boolean is(String punctOrWord) {
        return (kind == Kind.PUNCT || kind == Kind.WORD) && text.equals(punctOrWord);
    }

    boolean isNumber() {
        return kind == Kind.INT || kind == Kind.FLOAT;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EOF -> "end of file";
            case STRING -> "\"" + text + "\"";
            case BACKQUOTE -> "`" + text + "`";
            case CODE -> "%{ ... }%";
            default -> "'" + text + "'";
        };
    }
}
