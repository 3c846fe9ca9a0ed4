package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.net.NetDeviceDriver;

/** Provides device drivers, registered by link kind ({@code veth}). */
public interface NetDeviceDriverProvider extends LinuxnetProvider {
    List<NetDeviceDriver> drivers();
}
