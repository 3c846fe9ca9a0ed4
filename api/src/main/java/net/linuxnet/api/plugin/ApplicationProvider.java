package net.linuxnet.api.plugin;

import java.util.List;
import net.linuxnet.api.app.ApplicationType;

/** Provides application kinds, registered by the {@code kind} a scenario's {@code apps} entry names. */
public interface ApplicationProvider extends LinuxnetProvider {
    List<ApplicationType> applications();
}
