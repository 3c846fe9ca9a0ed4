package net.linuxnet.apps.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The payload streams both ends can check: chunked like the socket chunks them, or whole. */
final class TcpPayloadTest {

    @Test
    void aStreamIsTheSameInAnyChunking() {
        int seed = TcpPayload.seed(40000, TcpPayload.TO_SERVER);
        byte[] whole = new byte[10_000];
        TcpPayload.fill(whole, 0, whole.length, seed, 0);
        byte[] chunked = new byte[10_000];
        int[] cuts = {0, 1, 7, 8, 13, 1460, 2920, 4097, 9999, 10_000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            TcpPayload.fill(chunked, cuts[i], cuts[i + 1] - cuts[i], seed, cuts[i]);
        }
        assertThat(chunked).isEqualTo(whole);
        for (int k = 0; k < whole.length; k += 97) {
            assertThat(TcpPayload.at(seed, k)).isEqualTo(whole[k]);
        }
        assertThat(TcpPayload.mismatches(whole, 100, 5000, seed, 100)).isZero();
    }

    @Test
    void aByteOnTheWrongOffsetConnectionOrDirectionDoesNotMatch() {
        int seed = TcpPayload.seed(40000, TcpPayload.TO_SERVER);
        byte[] b = new byte[4096];
        TcpPayload.fill(b, 0, b.length, seed, 0);
        assertThat(TcpPayload.mismatches(b, 0, b.length, seed, 1)).isGreaterThan(4000);
        assertThat(TcpPayload.mismatches(b, 0, b.length, TcpPayload.seed(40001, TcpPayload.TO_SERVER), 0))
                .isGreaterThan(4000);
        assertThat(TcpPayload.mismatches(b, 0, b.length, TcpPayload.seed(40000, TcpPayload.TO_CLIENT), 0))
                .isGreaterThan(4000);
        b[1234] ^= 1;
        assertThat(TcpPayload.mismatches(b, 0, b.length, seed, 0)).isEqualTo(1);
    }
}
