package jarvis.crypto.internal;

/** Big-endian and little-endian integer codecs over byte arrays. */
public final class Bytes {

    private Bytes() {
    }

    public static void writeUint32(byte[] out, int offset, long value) {
        for (int i = 0; i < 4; i++) {
            out[offset + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    public static void writeUint64(byte[] out, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    public static void writeUint64LittleEndian(byte[] out, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    public static long readUint32(byte[] in, int offset) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (in[offset + i] & 0xff);
        }
        return v;
    }

    /** Reads 8 bytes; values of 2^63 and above come back negative. */
    public static long readUint64(byte[] in, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (in[offset + i] & 0xff);
        }
        return v;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
