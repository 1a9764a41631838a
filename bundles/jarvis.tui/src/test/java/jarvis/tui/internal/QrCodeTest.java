package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The encoder against symbols made by an independent encoder (libqrencode 4.1.1:
 * {@code qrencode -8 -l LEVEL -m 0 -t ASCII}, dark = 1), module for module, mask choice included; and
 * the format and version fields against the standard's published tables.
 */
class QrCodeTest {

    /** With the mask the other encoder chose (read from its format field): every module must agree. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"v1-m-hello, M, 1", "v2-l-url, L, 2", "link-m, M, 8", "long-m, M, 10"})
    void matchesAnIndependentEncoderModuleForModule(String name, QrCode.Ecc ecc, int version) throws IOException {
        byte[] input = resource(name + ".input");
        List<String> expected = new String(resource(name + ".txt"), StandardCharsets.US_ASCII).lines().toList();

        QrCode qr = QrCode.encode(input, ecc, maskOf(expected));

        assertThat(qr.version()).isEqualTo(version);
        assertThat(qr.size()).isEqualTo(expected.size());
        assertThat(rows(qr)).containsExactlyElementsOf(expected);
    }

    /**
     * The mask of lowest penalty. Encoders may differ here (any mask is valid, a reader takes it from the
     * format field; libqrencode counts finder-like patterns its own way and picks 7 for "hello"), but on
     * these three the standard's rules leave no doubt.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"v2-l-url, L", "link-m, M", "long-m, M"})
    void choosesTheSameMaskByTheStandardsPenaltyRules(String name, QrCode.Ecc ecc) throws IOException {
        List<String> expected = new String(resource(name + ".txt"), StandardCharsets.US_ASCII).lines().toList();

        QrCode qr = QrCode.encode(resource(name + ".input"), ecc, -1);

        assertThat(qr.mask()).isEqualTo(maskOf(expected));
        assertThat(rows(qr)).containsExactlyElementsOf(expected);
    }

    @Test
    void formatBitsAreTheStandardsTable() {
        // ISO/IEC 18004 table C.1, level M then level L, masks 0 to 7.
        int[] m = {0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0};
        int[] l = {0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976};
        for (int mask = 0; mask < 8; mask++) {
            assertThat(QrCode.formatBits(QrCode.Ecc.M, mask)).as("M mask %d", mask).isEqualTo(m[mask]);
            assertThat(QrCode.formatBits(QrCode.Ecc.L, mask)).as("L mask %d", mask).isEqualTo(l[mask]);
        }
    }

    @Test
    void versionBitsAreTheStandardsTable() {
        // ISO/IEC 18004 table D.1.
        assertThat(QrCode.versionBits(7)).isEqualTo(0x07C94);
        assertThat(QrCode.versionBits(8)).isEqualTo(0x085BC);
        assertThat(QrCode.versionBits(9)).isEqualTo(0x09A99);
        assertThat(QrCode.versionBits(10)).isEqualTo(0x0A4D3);
    }

    @Test
    void theFormatFieldIsReadableFromTheSymbol() {
        QrCode qr = QrCode.encode("jarvis".getBytes(StandardCharsets.UTF_8), QrCode.Ecc.M, 5);
        // The copy below the top left finder, row 8 columns 0-5 and 7-8 then column 8 upwards: bits 14..0.
        int read = 0;
        int[][] positions = {{0, 8}, {1, 8}, {2, 8}, {3, 8}, {4, 8}, {5, 8}, {7, 8}, {8, 8}, {8, 7}, {8, 5}, {8, 4},
                {8, 3}, {8, 2}, {8, 1}, {8, 0}};
        for (int[] p : positions) {
            read = read << 1 | (qr.dark(p[0], p[1]) ? 1 : 0);
        }
        assertThat(read).isEqualTo(0x40CE);
        assertThat(qr.mask()).isEqualTo(5);
        assertThat(qr.dark(8, qr.size() - 8)).as("the dark module").isTrue();
    }

    @Test
    void textPrefersLevelMAndFallsBackToL() {
        assertThat(QrCode.encode("a".repeat(213)).ecc()).isEqualTo(QrCode.Ecc.M);
        QrCode l = QrCode.encode("a".repeat(214));
        assertThat(l.ecc()).isEqualTo(QrCode.Ecc.L);
        assertThat(l.version()).isEqualTo(9);
        assertThat(QrCode.encode("a".repeat(271)).version()).isEqualTo(10);
        assertThatThrownBy(() -> QrCode.encode("a".repeat(272))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 10");
    }

    /** Reads the mask number from the format field below the top left finder (0 = light, 1 = dark). */
    private static int maskOf(List<String> symbol) {
        int[][] positions = {{0, 8}, {1, 8}, {2, 8}, {3, 8}, {4, 8}};
        int bits = 0;
        for (int[] p : positions) {
            bits = bits << 1 | (symbol.get(p[1]).charAt(p[0]) - '0');
        }
        // Bits 14..10 are level (2) and mask (3), XORed with the top bits of 0x5412 (10101).
        return (bits ^ 0b10101) & 0b111;
    }

    private static List<String> rows(QrCode qr) {
        StringBuilder all = new StringBuilder();
        for (int y = 0; y < qr.size(); y++) {
            for (int x = 0; x < qr.size(); x++) {
                all.append(qr.dark(x, y) ? '1' : '0');
            }
            all.append('\n');
        }
        return all.toString().lines().toList();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = QrCodeTest.class.getResourceAsStream("/qr/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
