package jarvis.legacy.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One 1.x frame: version byte 1, u16be type, u32be payload length, UTF-8 JSON payload. Also the raw key exchange
 * that precedes the frames (u32be 32, then the 32-byte X25519 key), which has no frame header.
 */
record Frame(int type, byte[] payload) {

    static final int VERSION = 1;
    static final int HEADER = 7;
    static final int KEY_LENGTH = 32;
    /** The most 1.x itself sends. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;

    Frame {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("a frame type is a u16");
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a 1.x payload is at most 10 MiB");
        }
    }

    byte[] encode() {
        return ByteBuffer.allocate(HEADER + payload.length).put((byte) VERSION).putShort((short) type)
                .putInt(payload.length).put(payload).array();
    }

    /**
     * Reads one frame. The length is checked against {@code maxPayload} before anything is allocated for it.
     *
     * @throws ProtocolViolation for a version other than 1 or a payload longer than {@code maxPayload}
     */
    static Frame read(DataInputStream in, int maxPayload) throws IOException, ProtocolViolation {
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolViolation("frame version " + version + ", only 1 is spoken");
        }
        int type = in.readUnsignedShort();
        long length = Integer.toUnsignedLong(in.readInt());
        if (length > maxPayload) {
            throw new ProtocolViolation("frame of type " + type + " announces " + length + " bytes, more than the "
                    + maxPayload + " accepted");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(type, payload);
    }

    /** The raw key exchange message: u32be 32 followed by the key. */
    static byte[] keyMessage(byte[] publicKey) {
        if (publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 key has 32 bytes");
        }
        return ByteBuffer.allocate(4 + KEY_LENGTH).putInt(KEY_LENGTH).put(publicKey).array();
    }

    /** Reads the peer's key; its announced length must be exactly 32. */
    static byte[] readKey(DataInputStream in) throws IOException, ProtocolViolation {
        long length = Integer.toUnsignedLong(in.readInt());
        if (length != KEY_LENGTH) {
            throw new ProtocolViolation("key exchange announces " + length + " bytes, not 32");
        }
        byte[] key = new byte[KEY_LENGTH];
        in.readFully(key);
        return key;
    }
}
