package net.linuxnet.protocols.inet;

/**
 * The key of an IPv4 output route lookup, as {@code struct flowi4}. Reusable: a socket keeps
 * one and refills it per send.
 */
public final class Flowi4 {
    /** {@code flowi4_oif}: the output device's ifindex, or 0 for any. */
    public int oif;
    /** {@code flowi4_mark}. */
    public int mark;
    /** {@code flowi4_tos}. */
    public int tos;
    /** {@code flowi4_proto}. */
    public int proto;
    /** {@code saddr}: 0 to have the lookup choose the source ({@code inet_select_addr}). */
    public int saddr;
    /** {@code daddr}. */
    public int daddr;
    /** {@code fl4_sport}, host order. */
    public int sport;
    /** {@code fl4_dport}, host order. */
    public int dport;

    /** Sets every field ({@code flowi4_init_output}). */
    public Flowi4 init(int oif, int mark, int tos, int proto, int daddr, int saddr, int dport, int sport) {
        this.oif = oif;
        this.mark = mark;
        this.tos = tos;
        this.proto = proto;
        this.daddr = daddr;
        this.saddr = saddr;
        this.dport = dport;
        this.sport = sport;
        return this;
    }
}
