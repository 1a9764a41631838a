package jarvis.testing.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz inputs: random bytes (raw, printable, or built from dictionary tokens) and mutations of seed
 * inputs (bit flips, byte changes, insertions, deletions, duplications, truncations, splices, boundary
 * integers written over length fields in both byte orders, dictionary tokens). Deterministic for a given
 * {@link Random}.
 */
public final class Mutator {

    /** Boundary values written over 1-, 2-, 4- and 8-byte fields: around 0, the sign bits and 2^31. */
    static final long[] BOUNDARIES = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x1_0000, 0x7fff_ffffL, 0x8000_0000L,
        0x7fff_fffeL, 0xffff_ffffL, 0xffff_fffeL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2
    };

    private final long[] interesting;
    private final List<byte[]> dictionary;
    private final int maxRandomLength;
    private final int maxLength;

    /**
     * @param extraInteresting target-specific values (documented limits and limit + 1) added to the boundaries
     * @param dictionary       tokens of the format (prefixes, keywords, JSON punctuation), may be empty
     * @param maxRandomLength  typical upper length of a random input
     * @param maxLength        no input grows beyond this many bytes
     */
    public Mutator(long[] extraInteresting, List<byte[]> dictionary, int maxRandomLength, int maxLength) {
        long[] all = Arrays.copyOf(BOUNDARIES, BOUNDARIES.length + 2 * extraInteresting.length);
        for (int i = 0; i < extraInteresting.length; i++) {
            all[BOUNDARIES.length + 2 * i] = extraInteresting[i];
            all[BOUNDARIES.length + 2 * i + 1] = extraInteresting[i] + 1;
        }
        this.interesting = all;
        this.dictionary = List.copyOf(dictionary);
        this.maxRandomLength = maxRandomLength;
        this.maxLength = maxLength;
    }

    /** A fresh input with no seed behind it. */
    public byte[] random(Random r) {
        int length;
        int pick = r.nextInt(100);
        if (pick < 60) {
            length = r.nextInt(65);
        } else if (pick < 95) {
            length = r.nextInt(maxRandomLength + 1);
        } else {
            length = r.nextInt(Math.min(maxLength, 4 * maxRandomLength) + 1);
        }
        int kind = r.nextInt(10);
        if (kind < 5 || (kind >= 8 && dictionary.isEmpty())) {
            byte[] out = new byte[length];
            r.nextBytes(out);
            return out;
        }
        if (kind < 8) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = (byte) (0x20 + r.nextInt(0x5f));
            }
            return out;
        }
        Bytes out = new Bytes();
        while (out.length() < length) {
            if (r.nextInt(4) == 0) {
                out.add((byte) r.nextInt(256));
            } else {
                out.add(dictionary.get(r.nextInt(dictionary.size())));
            }
        }
        return out.toArray();
    }

    /** One to several stacked mutations of {@code seed}; {@code other} is spliced in by some of them. */
    public byte[] mutate(byte[] seed, byte[] other, Random r) {
        byte[] out = seed.clone();
        int rounds = 1 + (r.nextInt(3) == 0 ? r.nextInt(8) : r.nextInt(2));
        for (int i = 0; i < rounds; i++) {
            out = once(out, other, r);
            if (out.length > maxLength) {
                out = Arrays.copyOf(out, maxLength);
            }
        }
        return out;
    }

    private byte[] once(byte[] in, byte[] other, Random r) {
        int n = in.length;
        switch (r.nextInt(14)) {
            case 0: // flip one bit
                if (n > 0) {
                    byte[] out = in.clone();
                    out[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                    return out;
                }
                return append(in, r);
            case 1: // one byte to a random value
                if (n > 0) {
                    byte[] out = in.clone();
                    out[r.nextInt(n)] = (byte) r.nextInt(256);
                    return out;
                }
                return append(in, r);
            case 2: // one byte up or down
                if (n > 0) {
                    byte[] out = in.clone();
                    out[r.nextInt(n)] += (byte) (r.nextBoolean() ? 1 : -1);
                    return out;
                }
                return append(in, r);
            case 3: { // insert random bytes
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                return insert(in, r.nextInt(n + 1), ins);
            }
            case 4: { // delete a range
                if (n == 0) {
                    return append(in, r);
                }
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - at, 32));
                return concat(Arrays.copyOf(in, at), Arrays.copyOfRange(in, at + len, n));
            }
            case 5: { // duplicate a range in place
                if (n == 0) {
                    return append(in, r);
                }
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - at, 64));
                return insert(in, at, Arrays.copyOfRange(in, at, at + len));
            }
            case 6: // truncate
                return n == 0 ? in : Arrays.copyOf(in, r.nextInt(n));
            case 7: // append random bytes
                return append(in, r);
            case 8:
            case 9: // a boundary integer over a field, big- or little-endian
                return overwrite(in, r.nextInt(n + 1), integer(interesting[r.nextInt(interesting.length)],
                        1 << r.nextInt(4), r.nextBoolean()));
            case 10: { // a dictionary token, inserted or written over
                if (dictionary.isEmpty()) {
                    return append(in, r);
                }
                byte[] token = dictionary.get(r.nextInt(dictionary.size()));
                int at = r.nextInt(n + 1);
                return r.nextBoolean() ? insert(in, at, token) : overwrite(in, at, token);
            }
            case 11: { // copy a range of the input elsewhere
                if (n < 2) {
                    return append(in, r);
                }
                int from = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(n - from, 32));
                return overwrite(in, r.nextInt(n), Arrays.copyOfRange(in, from, from + len));
            }
            case 12: { // splice: a prefix of this input, a suffix of the other
                if (other.length == 0) {
                    return append(in, r);
                }
                return concat(Arrays.copyOf(in, r.nextInt(n + 1)),
                        Arrays.copyOfRange(other, r.nextInt(other.length), other.length));
            }
            default: { // swap two bytes
                if (n < 2) {
                    return append(in, r);
                }
                byte[] out = in.clone();
                int a = r.nextInt(n);
                int b = r.nextInt(n);
                byte t = out[a];
                out[a] = out[b];
                out[b] = t;
                return out;
            }
        }
    }

    /** {@code value} as {@code width} bytes, big-endian or little-endian. */
    public static byte[] integer(long value, int width, boolean bigEndian) {
        byte[] out = new byte[width];
        for (int i = 0; i < width; i++) {
            int shift = 8 * (bigEndian ? width - 1 - i : i);
            out[i] = (byte) (value >>> shift);
        }
        return out;
    }

    private static byte[] append(byte[] in, Random r) {
        byte[] tail = new byte[1 + r.nextInt(16)];
        r.nextBytes(tail);
        return concat(in, tail);
    }

    static byte[] insert(byte[] in, int at, byte[] bytes) {
        byte[] out = new byte[in.length + bytes.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(in, at, out, at + bytes.length, in.length - at);
        return out;
    }

    /** Writes {@code bytes} at {@code at}, growing the input where they run past its end. */
    static byte[] overwrite(byte[] in, int at, byte[] bytes) {
        byte[] out = Arrays.copyOf(in, Math.max(in.length, at + bytes.length));
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Dictionary tokens from text, UTF-8. */
    public static List<byte[]> tokens(String... tokens) {
        return Arrays.stream(tokens).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** A growable byte array. */
    private static final class Bytes {
        private byte[] data = new byte[64];
        private int size;

        void add(byte b) {
            ensure(1);
            data[size++] = b;
        }

        void add(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, data, size, b.length);
            size += b.length;
        }

        int length() {
            return size;
        }

        byte[] toArray() {
            return Arrays.copyOf(data, size);
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(2 * data.length, size + more));
            }
        }
    }
}
