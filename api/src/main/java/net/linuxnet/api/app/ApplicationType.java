package net.linuxnet.api.app;

import net.linuxnet.api.config.Options;
import net.linuxnet.api.kernel.Kernel;

/** A kind of application, by the name a scenario's {@code kind} key uses ({@code pktgen}). */
public interface ApplicationType {

    String kind();

    /**
     * Creates an application on {@code kernel} from its options. Reads every option it
     * accepts; throws {@link net.linuxnet.api.config.OptionException} for a bad one.
     *
     * @param name the application's name in the scenario
     */
    Application create(String name, Kernel kernel, Options options);
}
