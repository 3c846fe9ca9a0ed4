package net.linuxnet.protocols.arp;

import java.util.List;
import net.linuxnet.api.ApiVersion;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.PacketType;
import net.linuxnet.api.plugin.PacketTypeProvider;
import net.linuxnet.protocols.inet.Neigh4;

/**
 * Boots ARP on a host, as {@code arp_init} does: creates the neighbour table
 * ({@code neigh_table_init(NEIGH_ARP_TABLE, &arp_tbl)}), stores it as the host's
 * {@link net.linuxnet.protocols.inet.Neigh4}, registers its report sections and returns the
 * {@code ETH_P_ARP} handler ({@code dev_add_pack(&arp_packet_type)}).
 */
public final class ArpPacketTypeProvider implements PacketTypeProvider {

    @Override
    public String apiVersion() {
        return ApiVersion.VERSION;
    }

    @Override
    public List<PacketType> packetTypes(Kernel kernel) {
        NeighTable tbl = new NeighTable(kernel);
        kernel.setNetGeneric(Neigh4.class, tbl);
        kernel.registerReportSection(new NeighReport.Neigh(tbl));
        kernel.registerReportSection(new NeighReport.ArpCache(tbl));
        return List.of(tbl.arp);
    }
}
