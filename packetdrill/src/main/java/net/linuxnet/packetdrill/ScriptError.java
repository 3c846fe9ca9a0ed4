package net.linuxnet.packetdrill;

/**
 * A script fails: the message packetdrill prints, {@code file:line: error ...}, is
 * {@link #getMessage}. Thrown by the parser (a malformed script) and the runner (a mismatch, an
 * unsupported construct); the caller prints it, never a stack trace.
 */
public final class ScriptError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    /** A failure at {@code line} of {@code file} (line 0: the script as a whole). */
    public ScriptError(String file, int line, String message) {
        super(line > 0 ? file + ":" + line + ": " + message : file + ": " + message, null, false, false);
        this.line = line;
    }

    /** The script line, or 0. */
    public int line() {
        return line;
    }
}
