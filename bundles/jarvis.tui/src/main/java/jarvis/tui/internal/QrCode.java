package jarvis.tui.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A QR code (ISO/IEC 18004) holding bytes: byte mode only, error correction level M or L, versions 1
 * to 10 (up to 213 bytes at M, 271 at L). That covers a link code, which is all the terminal UI draws;
 * a small encoder of our own instead of a library, so that lib/cli gains no dependency for one picture.
 *
 * <p>Coordinates: {@code x} is the column, {@code y} the row, (0, 0) the top left module.
 */
public final class QrCode {

    /** Error correction level: the format field's two bits and its index in the tables below. */
    public enum Ecc {
        /** Recovers about 7 % of the codewords. */
        L(1, 0),
        /** Recovers about 15 % of the codewords; what a screen photo at an angle needs. */
        M(0, 1);

        final int formatBits;
        final int table;

        Ecc(int formatBits, int table) {
            this.formatBits = formatBits;
            this.table = table;
        }
    }

    public static final int MAX_VERSION = 10;

    // Per version 1..10 (index 0 unused); rows: L, M. From the standard's table 9.
    private static final int[][] ECC_CODEWORDS_PER_BLOCK = {
            {-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18},
            {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26}};
    private static final int[][] ERROR_CORRECTION_BLOCKS = {
            {-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4},
            {-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5}};

    private final int version;
    private final int size;
    private final Ecc ecc;
    private final int mask;
    private final boolean[][] modules;
    private final boolean[][] function;

    private QrCode(int version, Ecc ecc, byte[] dataCodewords, int forcedMask) {
        this.version = version;
        this.size = version * 4 + 17;
        this.ecc = ecc;
        this.modules = new boolean[size][size];
        this.function = new boolean[size][size];
        drawFunctionPatterns();
        drawCodewords(addEccAndInterleave(dataCodewords));
        int chosen = forcedMask;
        if (chosen < 0) {
            int lowest = Integer.MAX_VALUE;
            for (int m = 0; m < 8; m++) {
                applyMask(m);
                drawFormatBits(m);
                int penalty = penalty();
                if (penalty < lowest) {
                    chosen = m;
                    lowest = penalty;
                }
                applyMask(m); // XOR again undoes it
            }
        }
        this.mask = chosen;
        applyMask(chosen);
        drawFormatBits(chosen);
    }

    /** The text as UTF-8 at level M in the smallest version that holds it, else at level L. */
    public static QrCode encode(String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return fits(data.length, Ecc.M) ? encode(data, Ecc.M, -1) : encode(data, Ecc.L, -1);
    }

    /**
     * {@code data} in byte mode at level {@code ecc}, in the smallest version that holds it.
     *
     * @param mask 0 to 7, or -1 for the mask of lowest penalty (the standard's rule)
     * @throws IllegalArgumentException if the data needs a version above {@link #MAX_VERSION}
     */
    public static QrCode encode(byte[] data, Ecc ecc, int mask) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(ecc, "ecc");
        if (mask < -1 || mask > 7) {
            throw new IllegalArgumentException("mask " + mask);
        }
        for (int v = 1; v <= MAX_VERSION; v++) {
            if (dataBitsNeeded(v, data.length) <= dataCodewords(v, ecc) * 8) {
                return new QrCode(v, ecc, dataCodewords(v, ecc, data), mask);
            }
        }
        throw new IllegalArgumentException(data.length + " bytes do not fit a QR code of version " + MAX_VERSION
                + " at level " + ecc);
    }

    /** Whether {@code length} bytes fit some version up to {@link #MAX_VERSION} at {@code ecc}. */
    public static boolean fits(int length, Ecc ecc) {
        return dataBitsNeeded(MAX_VERSION, length) <= dataCodewords(MAX_VERSION, ecc) * 8;
    }

    public int version() {
        return version;
    }

    /** Modules per side (without the quiet zone). */
    public int size() {
        return size;
    }

    public Ecc ecc() {
        return ecc;
    }

    public int mask() {
        return mask;
    }

    /** Whether the module at column {@code x}, row {@code y} is dark; outside the symbol is light. */
    public boolean dark(int x, int y) {
        return x >= 0 && x < size && y >= 0 && y < size && modules[y][x];
    }

    // --- data ---

    /** Mode indicator, character count, the bytes. Versions 1-9 count in 8 bits, 10-26 in 16. */
    private static int dataBitsNeeded(int version, int length) {
        return 4 + (version < 10 ? 8 : 16) + length * 8;
    }

    private static byte[] dataCodewords(int version, Ecc ecc, byte[] data) {
        int capacityBits = dataCodewords(version, ecc) * 8;
        BitBuffer bits = new BitBuffer(capacityBits);
        bits.append(0b0100, 4);
        bits.append(data.length, version < 10 ? 8 : 16);
        for (byte b : data) {
            bits.append(b & 0xff, 8);
        }
        bits.append(0, Math.min(4, capacityBits - bits.length));
        bits.append(0, (8 - bits.length % 8) % 8);
        for (int pad = 0xEC; bits.length < capacityBits; pad ^= 0xEC ^ 0x11) {
            bits.append(pad, 8);
        }
        return bits.bytes;
    }

    private static int rawDataModules(int version) {
        int result = (16 * version + 128) * version + 64;
        if (version >= 2) {
            int alignments = version / 7 + 2;
            result -= (25 * alignments - 10) * alignments - 55;
            if (version >= 7) {
                result -= 36;
            }
        }
        return result;
    }

    private static int dataCodewords(int version, Ecc ecc) {
        return rawDataModules(version) / 8
                - ECC_CODEWORDS_PER_BLOCK[ecc.table][version] * ERROR_CORRECTION_BLOCKS[ecc.table][version];
    }

    /** Splits the data into blocks, appends each block's Reed-Solomon codewords, and interleaves. */
    private byte[] addEccAndInterleave(byte[] data) {
        int blocks = ERROR_CORRECTION_BLOCKS[ecc.table][version];
        int eccLength = ECC_CODEWORDS_PER_BLOCK[ecc.table][version];
        int raw = rawDataModules(version) / 8;
        int shortBlocks = blocks - raw % blocks;
        int shortLength = raw / blocks;
        byte[] divisor = reedSolomonDivisor(eccLength);
        byte[][] all = new byte[blocks][];
        for (int i = 0, k = 0; i < blocks; i++) {
            int dataLength = shortLength - eccLength + (i < shortBlocks ? 0 : 1);
            byte[] block = new byte[shortLength + 1];
            System.arraycopy(data, k, block, 0, dataLength);
            byte[] remainder = reedSolomonRemainder(data, k, dataLength, divisor);
            System.arraycopy(remainder, 0, block, block.length - eccLength, eccLength);
            k += dataLength;
            all[i] = block;
        }
        byte[] result = new byte[raw];
        for (int i = 0, k = 0; i < all[0].length; i++) {
            for (int j = 0; j < all.length; j++) {
                // Short blocks have no codeword at this index: it is the padding byte of the copy above.
                if (i != shortLength - eccLength || j >= shortBlocks) {
                    result[k++] = all[j][i];
                }
            }
        }
        return result;
    }

    private static byte[] reedSolomonDivisor(int degree) {
        byte[] result = new byte[degree];
        result[degree - 1] = 1;
        int root = 1;
        for (int i = 0; i < degree; i++) {
            for (int j = 0; j < degree; j++) {
                result[j] = (byte) multiply(result[j] & 0xff, root);
                if (j + 1 < degree) {
                    result[j] ^= result[j + 1];
                }
            }
            root = multiply(root, 0x02);
        }
        return result;
    }

    private static byte[] reedSolomonRemainder(byte[] data, int offset, int length, byte[] divisor) {
        byte[] result = new byte[divisor.length];
        for (int n = 0; n < length; n++) {
            int factor = (data[offset + n] ^ result[0]) & 0xff;
            System.arraycopy(result, 1, result, 0, result.length - 1);
            result[result.length - 1] = 0;
            for (int i = 0; i < result.length; i++) {
                result[i] ^= (byte) multiply(divisor[i] & 0xff, factor);
            }
        }
        return result;
    }

    /** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1. */
    private static int multiply(int x, int y) {
        int z = 0;
        for (int i = 7; i >= 0; i--) {
            z = (z << 1) ^ ((z >>> 7) * 0x11D);
            z ^= ((y >>> i) & 1) * x;
        }
        return z;
    }

    // --- drawing ---

    private void drawFunctionPatterns() {
        for (int i = 0; i < size; i++) {
            setFunction(6, i, i % 2 == 0);
            setFunction(i, 6, i % 2 == 0);
        }
        drawFinder(3, 3);
        drawFinder(size - 4, 3);
        drawFinder(3, size - 4);
        int[] positions = alignmentPositions();
        int last = positions.length - 1;
        for (int i = 0; i < positions.length; i++) {
            for (int j = 0; j < positions.length; j++) {
                boolean corner = i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0;
                if (!corner) {
                    drawAlignment(positions[i], positions[j]);
                }
            }
        }
        drawFormatBits(0); // reserves the area; the real bits come with the mask
        drawVersion();
    }

    private void drawFinder(int x, int y) {
        for (int dy = -4; dy <= 4; dy++) {
            for (int dx = -4; dx <= 4; dx++) {
                int distance = Math.max(Math.abs(dx), Math.abs(dy));
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && xx < size && yy >= 0 && yy < size) {
                    setFunction(xx, yy, distance != 2 && distance != 4);
                }
            }
        }
    }

    private void drawAlignment(int x, int y) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                setFunction(x + dx, y + dy, Math.max(Math.abs(dx), Math.abs(dy)) != 1);
            }
        }
    }

    private int[] alignmentPositions() {
        if (version == 1) {
            return new int[0];
        }
        int count = version / 7 + 2;
        int step = (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
        int[] result = new int[count];
        result[0] = 6;
        for (int i = count - 1, position = size - 7; i >= 1; i--, position -= step) {
            result[i] = position;
        }
        return result;
    }

    /** The 15 format bits (level, mask, BCH(15,5), XOR 0x5412), twice: by the top left finder and split by the others. */
    private void drawFormatBits(int maskNumber) {
        int bits = formatBits(ecc, maskNumber);
        for (int i = 0; i <= 5; i++) {
            setFunction(8, i, bit(bits, i));
        }
        setFunction(8, 7, bit(bits, 6));
        setFunction(8, 8, bit(bits, 7));
        setFunction(7, 8, bit(bits, 8));
        for (int i = 9; i < 15; i++) {
            setFunction(14 - i, 8, bit(bits, i));
        }
        for (int i = 0; i < 8; i++) {
            setFunction(size - 1 - i, 8, bit(bits, i));
        }
        for (int i = 8; i < 15; i++) {
            setFunction(8, size - 15 + i, bit(bits, i));
        }
        setFunction(8, size - 8, true); // the dark module
    }

    static int formatBits(Ecc ecc, int maskNumber) {
        int data = ecc.formatBits << 3 | maskNumber;
        int remainder = data;
        for (int i = 0; i < 10; i++) {
            remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537);
        }
        return (data << 10 | remainder) ^ 0x5412;
    }

    /** From version 7: the version number with BCH(18,6), in two 6x3 blocks by the other finders. */
    private void drawVersion() {
        if (version < 7) {
            return;
        }
        int bits = versionBits(version);
        for (int i = 0; i < 18; i++) {
            boolean dark = bit(bits, i);
            int a = size - 11 + i % 3;
            int b = i / 3;
            setFunction(a, b, dark);
            setFunction(b, a, dark);
        }
    }

    static int versionBits(int version) {
        int remainder = version;
        for (int i = 0; i < 12; i++) {
            remainder = (remainder << 1) ^ ((remainder >>> 11) * 0x1F25);
        }
        return version << 12 | remainder;
    }

    /** Data in two-column strips from the right, upwards then downwards, skipping the timing column. */
    private void drawCodewords(byte[] codewords) {
        int i = 0;
        for (int right = size - 1; right >= 1; right -= 2) {
            if (right == 6) {
                right = 5;
            }
            for (int vertical = 0; vertical < size; vertical++) {
                for (int j = 0; j < 2; j++) {
                    int x = right - j;
                    boolean upward = ((right + 1) & 2) == 0;
                    int y = upward ? size - 1 - vertical : vertical;
                    if (!function[y][x] && i < codewords.length * 8) {
                        modules[y][x] = bit(codewords[i >>> 3], 7 - (i & 7));
                        i++;
                    }
                }
            }
        }
    }

    private void applyMask(int maskNumber) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean invert = switch (maskNumber) {
                    case 0 -> (x + y) % 2 == 0;
                    case 1 -> y % 2 == 0;
                    case 2 -> x % 3 == 0;
                    case 3 -> (x + y) % 3 == 0;
                    case 4 -> (x / 3 + y / 2) % 2 == 0;
                    case 5 -> x * y % 2 + x * y % 3 == 0;
                    case 6 -> (x * y % 2 + x * y % 3) % 2 == 0;
                    case 7 -> ((x + y) % 2 + x * y % 3) % 2 == 0;
                    default -> throw new IllegalArgumentException("mask " + maskNumber);
                };
                modules[y][x] ^= invert && !function[y][x];
            }
        }
    }

    // --- the standard's penalty rules, for choosing the mask ---

    private int penalty() {
        int result = 0;
        for (int y = 0; y < size; y++) {
            result += linePenalty(y, true);
        }
        for (int x = 0; x < size; x++) {
            result += linePenalty(x, false);
        }
        for (int y = 0; y < size - 1; y++) {
            for (int x = 0; x < size - 1; x++) {
                boolean c = modules[y][x];
                if (c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1]) {
                    result += 3;
                }
            }
        }
        int dark = 0;
        for (boolean[] row : modules) {
            for (boolean m : row) {
                dark += m ? 1 : 0;
            }
        }
        int total = size * size;
        int k = (Math.abs(dark * 20 - total * 10) + total - 1) / total - 1;
        return result + k * 10;
    }

    /** Runs of five or more (3 + 1 per extra module) and finder-like 1:1:3:1:1 patterns (40 each). */
    private int linePenalty(int index, boolean row) {
        int result = 0;
        boolean runColor = false;
        int run = 0;
        int[] history = new int[7];
        for (int i = 0; i < size; i++) {
            boolean m = row ? modules[index][i] : modules[i][index];
            if (m == runColor) {
                run++;
                if (run == 5) {
                    result += 3;
                } else if (run > 5) {
                    result++;
                }
            } else {
                addHistory(run, history);
                if (!runColor) {
                    result += finderPatterns(history) * 40;
                }
                runColor = m;
                run = 1;
            }
        }
        if (runColor) {
            addHistory(run, history);
            run = 0;
        }
        run += size; // the light quiet zone after the line
        addHistory(run, history);
        return result + finderPatterns(history) * 40;
    }

    private void addHistory(int run, int[] history) {
        if (history[0] == 0) {
            run += size; // the light quiet zone before the line
        }
        System.arraycopy(history, 0, history, 1, history.length - 1);
        history[0] = run;
    }

    private static int finderPatterns(int[] history) {
        int n = history[1];
        boolean core = n > 0 && history[2] == n && history[3] == n * 3 && history[4] == n && history[5] == n;
        return (core && history[0] >= n * 4 && history[6] >= n ? 1 : 0)
                + (core && history[6] >= n * 4 && history[0] >= n ? 1 : 0);
    }

    private void setFunction(int x, int y, boolean dark) {
        modules[y][x] = dark;
        function[y][x] = true;
    }

    private static boolean bit(int value, int i) {
        return ((value >>> i) & 1) != 0;
    }

    /** Appends big-endian bit fields into a fixed number of bytes. */
    private static final class BitBuffer {
        final byte[] bytes;
        int length;

        BitBuffer(int capacityBits) {
            bytes = new byte[capacityBits / 8];
        }

        void append(int value, int count) {
            for (int i = count - 1; i >= 0; i--, length++) {
                if (((value >>> i) & 1) != 0) {
                    bytes[length >>> 3] |= (byte) (0x80 >>> (length & 7));
                }
            }
        }
    }
}
