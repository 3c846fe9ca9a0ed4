package net.linuxnet.packetdrill;

import java.util.List;
import java.util.Map;

/**
 * A parsed script: the {@code --name=value} option lines and the events, as packetdrill's
 * {@code parser.y} builds {@code struct script} (options, init command, events, cleanup).
 */
record Script(String file, Map<String, String> options, List<Event> events) {

    /** How an event's time was written ({@code enum event_time_t} of {@code packetdrill.h}). */
    enum TimeType {
        /** {@code 1.25}. */
        ABSOLUTE,
        /** {@code +0.1}. */
        RELATIVE,
        /** {@code *}. */
        ANY,
        /** {@code 0.1~0.2}. */
        ABSOLUTE_RANGE,
        /** {@code +.3~+.4}. */
        RELATIVE_RANGE,
        /** An untimed command (the init or cleanup command): at the time of the previous event. */
        NONE
    }

    /**
     * One event: its time ({@code start} and, for ranges and blocking calls, {@code end}, both in
     * µs as written) and its action. {@code blocking} marks {@code start...end} system calls;
     * {@code endRelative} tells whether the end was written with a {@code +}.
     */
    record Event(int line, TimeType timeType, long startUs, long endUs, boolean blocking, boolean endRelative, Action action) {
    }

    /** What an event does. */
    sealed interface Action permits Packet, Syscall, Command, Code {
    }

    /** A TCP option as written: {@code kind} is one of mss, wscale, sackOK, sack, TS, nop, eol. */
    record TcpOption(String kind, long a, long b, List<long[]> blocks) {
    }

    /**
     * A TCP packet line ({@code tcp_packet.c}): direction, optional explicit ports, flags,
     * {@code start:end(len)}, ack, window, urgent pointer and options; {@code options} null
     * means {@code <...>} (any options), empty means none.
     */
    record Packet(boolean inbound, int srcPort, int dstPort, String flags, long seq, long len, Long ack, Long win,
            Long urg, List<TcpOption> options, Integer tos, Integer ttl) implements Action {
    }

    /** An argument or value expression of a system call ({@code struct expression} of {@code script.h}). */
    sealed interface Expr permits Num, Sym, Str, Ellipsis, Array, Struct, Or, Call {
    }

    record Num(long v) implements Expr {
    }

    record Sym(String name) implements Expr {
    }

    record Str(String s) implements Expr {
    }

    record Ellipsis() implements Expr {
    }

    record Array(List<Expr> items) implements Expr {
    }

    record Struct(Map<String, Expr> fields) implements Expr {
    }

    record Or(Expr a, Expr b) implements Expr {
    }

    /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
    record Call(String fn, List<Expr> args) implements Expr {
    }

    /** {@code name(args) = result [ERRNO] [(note)]}. */
    record Syscall(String name, List<Expr> args, Expr result, String errno) implements Action {
    }

    /** A backquoted shell command. */
    record Command(String text) implements Action {
    }

    /** A {@code %{ }%} code block. */
    record Code(String text) implements Action {
    }
}
