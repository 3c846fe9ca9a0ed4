package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.kernel.Kernel;
import net.linuxnet.api.net.PacketType;

/** Provides frame handlers, registered in every host by ethertype as {@code dev_add_pack} does. */
public interface PacketTypeProvider extends LinuxnetProvider {
    /** The handlers for one host; called once per host at boot. */
    List<PacketType> packetTypes(Kernel kernel);
}
