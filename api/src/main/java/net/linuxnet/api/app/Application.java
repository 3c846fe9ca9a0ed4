package net.linuxnet.api.app;

/**
 * A running application on a host: a traffic generator, a sink, a server. It does its work
 * through kernel services (tasks, timers, sockets) and reports a result at the end.
 */
public interface Application {

    /** Starts the work at the start of the run, in process context. */
    void start();

    /** Stops starting new work at {@code run.duration}; work in flight may still finish. */
    void stop();

    /** Writes the result for the report, such as {@code sent} and {@code bytes}. */
    void report(ResultWriter out);
}
