package net.linuxnet.api.kernel;

/**
 * A part of a host's report that a plugin owns, such as IPv4's {@code routes} and
 * {@code neigh}, or the socket layer's {@code sockets}: the same facts as JSON, under the
 * key DESIGN names, and as text in the words of the tool that shows them ({@code ip route},
 * {@code ip neigh}, {@code ss}).
 */
public interface ReportSection {

    /** The key in the host's JSON object ({@code routes}). */
    String key();

    /**
     * The JSON value: a {@code Map<String, ?>} (insertion order kept), a {@code List<?>}, a
     * {@code String}, a {@code Number} or a {@code Boolean}, nested as needed.
     */
    Object json();

    /** Appends the text form, each line ending in a newline, headed by the command ({@code $ ip route}). */
    void text(StringBuilder out);
}
