package net.linuxnet.api.filter;

import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;
import net.linuxnet.api.kernel.Kernel;

/**
 * What a run of a classic BPF program needs from the host besides the packet: the scratch
 * memory {@code M[]}, the current CPU (for {@code SKF_AD_CPU}) and a random source (for
 * {@code SKF_AD_RANDOM}). In the kernel the first lives on the BPF stack and the others are
 * {@code raw_smp_processor_id()} and the per-CPU {@code bpf_user_rnd_u32} state; here one
 * context per host is made once and passed to every {@link BpfProg#run}, so a run allocates
 * nothing.
 *
 * <p>A context is used by one thread at a time (the host's engine thread); one
 * {@link BpfProg} may be run with many contexts.
 */
public final class BpfRunContext {

    /** Scratch memory {@code M[0..BPF_MEMWORDS-1]}; {@code check_load_and_stores} makes a run write before it reads. */
    final int[] mem = new int[Filter.BPF_MEMWORDS];
    private final IntSupplier smpProcessorId;
    private final RandomGenerator random;

    /**
     * @param smpProcessorId gives the CPU the filter runs on ({@code raw_smp_processor_id})
     * @param random         the source of {@code SKF_AD_RANDOM}; the run's seeded generator keeps a run reproducible
     */
    public BpfRunContext(IntSupplier smpProcessorId, RandomGenerator random) {
        this.smpProcessorId = Objects.requireNonNull(smpProcessorId, "smpProcessorId is null");
        this.random = Objects.requireNonNull(random, "random is null");
    }

    /** A context that reads the CPU and random numbers from a host's kernel services. */
    public static BpfRunContext of(Kernel kernel) {
        Objects.requireNonNull(kernel, "kernel is null");
        return new BpfRunContext(kernel::smpProcessorId, kernel.random());
    }

    /** {@code raw_smp_processor_id()}. */
    int cpu() {
        return smpProcessorId.getAsInt();
    }

    /** {@code bpf_user_rnd_u32()}: 32 random bits. */
    int randomU32() {
        return random.nextInt();
    }
}
