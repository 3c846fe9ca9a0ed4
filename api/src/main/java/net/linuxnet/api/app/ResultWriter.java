package net.linuxnet.api.app;

/** Ordered key/value output for an application's result in the report. */
public interface ResultWriter {

    ResultWriter put(String key, long value);

    ResultWriter put(String key, double value);

    ResultWriter put(String key, String value);

    ResultWriter put(String key, boolean value);
}
