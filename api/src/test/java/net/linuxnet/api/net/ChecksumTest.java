package net.linuxnet.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class ChecksumTest {

    /** The textbook IPv4 header (192.168.0.1 to 192.168.0.199, UDP), checksum 0xb861. */
    private static final byte[] IP_HEADER = HexFormat.of().parseHex("450000730000400040110000c0a80001c0a800c7");

    @Test
    void ipFastCsumOfKnownHeader() {
        assertThat(Checksum.ipFastCsum(IP_HEADER, 0, 5)).isEqualTo(0xb861);
    }

    @Test
    void ipSendCheckStoresChecksumThatVerifiesToZero() {
        byte[] buf = new byte[24];
        System.arraycopy(IP_HEADER, 0, buf, 4, 20);
        buf[14] = 0x12; // garbage in the check field is replaced
        buf[15] = 0x34;
        Checksum.ipSendCheck(buf, 4);
        assertThat(((buf[14] & 0xff) << 8) | (buf[15] & 0xff)).isEqualTo(0xb861);
        assertThat(Checksum.ipFastCsum(buf, 4, 5)).isZero();
    }

    @Test
    void csumPartialMatchesNaiveSumForAllLengthsAndOffsets() {
        Random random = new Random(42);
        byte[] buf = new byte[300];
        random.nextBytes(buf);
        for (int off = 0; off < 5; off++) {
            for (int len = 0; len < 260; len++) {
                assertThat(Checksum.csumFold(Checksum.csumPartial(buf, off, len, 0)))
                        .as("off %d len %d", off, len)
                        .isEqualTo(naiveChecksum(buf, off, len));
            }
        }
    }

    @Test
    void partialSumsOfPiecesAddUp() {
        Random random = new Random(7);
        byte[] buf = new byte[101];
        random.nextBytes(buf);
        int whole = Checksum.csumPartial(buf, 0, 101, 0);
        int pieces = Checksum.csumAdd(Checksum.csumPartial(buf, 0, 40, 0), Checksum.csumPartial(buf, 40, 61, 0));
        int chained = Checksum.csumPartial(buf, 40, 61, Checksum.csumPartial(buf, 0, 40, 0));
        assertThat(Checksum.csumFold(pieces)).isEqualTo(Checksum.csumFold(whole));
        assertThat(Checksum.csumFold(chained)).isEqualTo(Checksum.csumFold(whole));
    }

    @Test
    void csumAddCarriesAround() {
        assertThat(Checksum.csumAdd(0xffffffff, 1)).isEqualTo(1);
        assertThat(Checksum.csumFold(0xffff)).isZero();
        assertThat(Checksum.csumFold(0)).isEqualTo(0xffff);
    }

    @Test
    void csumTcpudpMagicMatchesNaivePseudoHeaderSum() {
        Random random = new Random(1);
        for (int round = 0; round < 200; round++) {
            int saddr = random.nextInt();
            int daddr = random.nextInt();
            int len = 8 + random.nextInt(200);
            byte[] udp = new byte[len];
            random.nextBytes(udp);
            udp[6] = 0;
            udp[7] = 0;
            byte[] pseudo = new byte[12 + len];
            putU32(pseudo, 0, saddr);
            putU32(pseudo, 4, daddr);
            pseudo[9] = 17;
            pseudo[10] = (byte) (len >>> 8);
            pseudo[11] = (byte) len;
            System.arraycopy(udp, 0, pseudo, 12, len);

            int check = Checksum.csumTcpudpMagic(saddr, daddr, len, Checksum.IPPROTO_UDP,
                    Checksum.csumPartial(udp, 0, len, 0));
            assertThat(check).isEqualTo(naiveChecksum(pseudo, 0, pseudo.length));

            // A receiver sums the segment with its check field set and gets 0.
            pseudo[12 + 6] = (byte) (check >>> 8);
            pseudo[12 + 7] = (byte) check;
            assertThat(naiveChecksum(pseudo, 0, pseudo.length)).isZero();
        }
    }

    /** RFC 1071 the slow way: 16-bit big-endian words, folded after every add. */
    static int naiveChecksum(byte[] buf, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int word = (buf[off + i] & 0xff) << 8;
            if (i + 1 < len) {
                word |= buf[off + i + 1] & 0xff;
            }
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
