package net.linuxnet.api.kernel;

/** One SNMP/MIB counter of a host, by its {@code nstat} name. Bump it on the hot path. */
public final class MibCounter {
    private final String name;
    private long value;

    public MibCounter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void inc() {
        value++;
    }

    public void add(long n) {
        value += n;
    }

    /** For gauges such as {@code TcpCurrEstab}. */
    public void dec() {
        value--;
    }

    public long get() {
        return value;
    }
}
