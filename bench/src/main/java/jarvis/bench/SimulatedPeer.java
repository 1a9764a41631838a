package jarvis.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.X25519KeyPair;

/**
 * A jarvis/2 IK initiator written from docs/protocol.md ("Session protocol (jarvis/2)", S.1 to S.4) with only
 * the exported jarvis.crypto API, like the itests' SpecPeer but dialing: it connects to a daemon over TCP
 * (4-byte big-endian length-prefixed frames), sends IK message 1 with a handshake payload naming itself, reads
 * message 2, sends its first record (a PING) as key confirmation and waits for the PONG. Blocking I/O, every
 * read bounded by a socket timeout.
 */
final class SimulatedPeer {

    static final byte HANDSHAKE_FRAME = 0x01;
    static final byte RECORD_FRAME = 0x02;
    static final byte PATTERN_IK = 0x01;
    static final byte CIPHER_CHACHAPOLY = 0x01;
    static final int PING = 0x01;
    static final int PONG = 0x02;
    static final int CLOSE = 0x03;
    private static final int MAX_FRAME = 1 << 20;
    /** Records other than the PONG tolerated while waiting for it (keepalive PINGs are answered). */
    private static final int MAX_RECORDS_BEFORE_PONG = 8;
    private static final byte[] PROLOGUE = "jarvis/2\u0001\u0001".getBytes(StandardCharsets.US_ASCII);

    private final X25519KeyPair keys;
    private final byte[] payload;
    private final SecureRandom random;

    SimulatedPeer(X25519KeyPair keys, String uid, String username, SecureRandom random) {
        this.keys = keys;
        this.payload = handshakePayload(uid, username);
        this.random = random;
    }

    /** A confirmed session: the socket, still open, and its record cipher. */
    record Session(Socket socket, RecordCipher cipher) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            cipher.close();
            socket.close();
        }
    }

    /**
     * Connects, runs the IK handshake, confirms it with a PING and returns once the daemon's PONG arrived. The
     * caller owns the returned session (closes it now, or holds the socket open).
     */
    Session open(InetSocketAddress daemon, byte[] daemonKey, int timeoutMillis) throws IOException, CryptoException {
        Socket socket = new Socket();
        boolean ok = false;
        NoiseHandshake hs = NoiseHandshake.initiator(NoisePattern.IK, Aead.CHACHA20_POLY1305, PROLOGUE, keys,
                daemonKey, random);
        RecordCipher cipher = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(daemon, timeoutMillis);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 4096));
            OutputStream out = socket.getOutputStream();
            byte[] message1 = hs.writeMessage(payload);
            writeFrame(out, concat(new byte[] {HANDSHAKE_FRAME, PATTERN_IK, CIPHER_CHACHAPOLY}, message1));
            byte[] reply = readFrame(in);
            if (reply.length < 3 || reply[0] != HANDSHAKE_FRAME || reply[1] != PATTERN_IK
                    || reply[2] != CIPHER_CHACHAPOLY) {
                throw new IOException("expected IK message 2, got a frame of " + reply.length + " bytes");
            }
            byte[] responderPayload = hs.readMessage(Arrays.copyOfRange(reply, 3, reply.length));
            if (!hs.isComplete() || responderPayload.length < 2 || responderPayload[0] != 1
                    || responderPayload[1] != 1) {
                throw new IOException("IK message 2 did not complete the handshake with version 1");
            }
            cipher = FiveLayerCipher.create(hs.split(), Role.INITIATOR);
            long nonce = random.nextLong();
            byte[] ping = ByteBuffer.allocate(8).putLong(nonce).array();
            writeFrame(out, cipher.seal(PING, ping));
            awaitPong(in, out, cipher, ping);
            ok = true;
            return new Session(socket, cipher);
        } finally {
            hs.close();
            if (!ok) {
                if (cipher != null) {
                    cipher.close();
                }
                socket.close();
            }
        }
    }

    private static void awaitPong(DataInputStream in, OutputStream out, RecordCipher cipher, byte[] ping)
            throws IOException, CryptoException {
        for (int i = 0; i < MAX_RECORDS_BEFORE_PONG; i++) {
            byte[] frame = readFrame(in);
            if (frame.length == 0 || frame[0] != RECORD_FRAME) {
                throw new IOException("expected a record frame after the handshake");
            }
            ReceivedRecord r = cipher.open(frame);
            if (r.contentType() == PONG && Arrays.equals(r.payload(), ping)) {
                return;
            }
            if (r.contentType() == PING) {
                writeFrame(out, cipher.seal(PONG, r.payload()));
            } else if (r.contentType() == CLOSE) {
                throw new IOException("the daemon closed the session: reason "
                        + (r.payload().length > 0 ? r.payload()[0] : -1));
            }
        }
        throw new IOException("no PONG within " + MAX_RECORDS_BEFORE_PONG + " records");
    }

    /** S.2: versions {1}, our uid (32 lowercase hex), our name, no endpoints. */
    private static byte[] handshakePayload(String uid, String username) {
        byte[] id = uid.getBytes(StandardCharsets.US_ASCII);
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = ByteBuffer.allocate(2 + 1 + id.length + 1 + name.length + 1);
        p.put((byte) 1).put((byte) 1);
        p.put((byte) id.length).put(id);
        p.put((byte) name.length).put(name);
        p.put((byte) 0);
        return p.array();
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    private static void writeFrame(OutputStream out, byte[] frame) throws IOException {
        byte[] bytes = new byte[4 + frame.length];
        ByteBuffer.wrap(bytes).putInt(frame.length).put(frame);
        out.write(bytes);
        out.flush();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
