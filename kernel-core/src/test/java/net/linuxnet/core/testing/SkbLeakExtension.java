package net.linuxnet.core.testing;

import java.util.List;
import net.linuxnet.api.net.SkBuffPool;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves an skb unfreed: every {@link SkBuffPool} the test created (one per
 * host) must have handed back as many skbs as it handed out. JUnit finds this extension by
 * itself ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} in kernel-core's
 * test jar, with {@code junit.jupiter.extensions.autodetection.enabled}), so every test of a
 * module that has the test jar on its class path is checked, as Netty's tests are by its
 * leak-presence extension.
 */
public final class SkbLeakExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SkbLeakExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("pools", SkBuffPool.trackCreatedPools());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SkBuffPool.stopTracking();
        @SuppressWarnings("unchecked")
        List<SkBuffPool> pools = (List<SkBuffPool>) context.getStore(NS).remove("pools");
        if (pools == null) {
            return;
        }
        StringBuilder leaks = new StringBuilder();
        for (SkBuffPool p : pools) {
            if (p.live() != 0) {
                leaks.append(String.format("%n  pool %d: allocated %d, freed %d, live %d", pools.indexOf(p), p.allocated(),
                        p.freed(), p.live()));
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("skb leak in " + context.getDisplayName() + ": not every skb was freed" + leaks);
        }
    }
}
