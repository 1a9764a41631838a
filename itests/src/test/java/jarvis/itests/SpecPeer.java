package jarvis.itests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import jarvis.crypto.Aead;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.X25519KeyPair;

/**
 * A jarvis/2 peer written from docs/protocol.md ("Session protocol"), not from the session bundle:
 * it answers IK handshakes with ChaChaPoly on 127.0.0.1, echoes PINGs, sends text messages and
 * collects their acknowledgements (docs/protocol.md "Messaging protocol"). It records what happened
 * to every link so a test can follow sessions from the outside.
 */
final class SpecPeer implements AutoCloseable {

    static final byte HANDSHAKE = 0x01;
    static final int PING = 1;
    static final int PONG = 2;

    final X25519KeyPair keys = X25519KeyPair.generate(new SecureRandom());
    final String uid = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    /** Ids (hex) of our messages the daemon acknowledged as stored, in arrival order. */
    final BlockingQueue<String> acked = new LinkedBlockingQueue<>();
    private final Object sending = new Object();
    private volatile DataOutputStream currentOut;
    private volatile RecordCipher currentRecords;
    private long lastMillis;
    private long sequence;
    private final ServerSocket server;
    private final Thread acceptor;

    SpecPeer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "spec-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String publicKeyHex() {
        return HexFormat.of().formatHex(keys.publicKey());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "spec-peer-link");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            byte[] first = readFrame(in);
            if (first.length < 3 || first[0] != HANDSHAKE || first[1] != 0x01 || first[2] != 0x01) {
                events.add("rejected: not an IK/ChaChaPoly handshake");
                return;
            }
            byte[] prologue = "jarvis/2\u0001\u0001".getBytes(StandardCharsets.US_ASCII);
            NoiseHandshake hs = NoiseHandshake.responder(NoisePattern.IK, Aead.CHACHA20_POLY1305, prologue, keys,
                    new SecureRandom());
            hs.readMessage(Arrays.copyOfRange(first, 3, first.length));
            byte[] reply = hs.writeMessage(payload());
            writeFrame(out, concat(new byte[] {HANDSHAKE, 0x01, 0x01}, reply));
            try (RecordCipher records = FiveLayerCipher.create(hs.split(), Role.RESPONDER)) {
                synchronized (sending) {
                    currentOut = out;
                    currentRecords = records;
                }
                events.add("online");
                while (true) {
                    ReceivedRecord r = records.open(readFrame(in));
                    if (r.contentType() == PING) {
                        synchronized (sending) {
                            writeFrame(out, records.seal(PONG, r.payload()));
                        }
                    } else if (r.contentType() == ACK) {
                        recordAcks(r.payload());
                    }
                }
            }
        } catch (EOFException e) {
            synchronized (sending) {
                currentOut = null;
            }
            events.add("closed");
        } catch (Exception e) {
            synchronized (sending) {
                currentOut = null;
            }
            events.add("closed: " + e);
        }
    }

    static final int MESSAGE = 16;
    static final int ACK = 17;

    /**
     * Sends one text message on the current session (docs/protocol.md M.2: version 1, a fresh
     * time-sortable id, no predecessor), as one whole application payload (chunk flag 0).
     *
     * @return the message id, hex
     */
    String sendMessage(String text) throws Exception {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] id = nextId();
        byte[] payload = new byte[1 + 1 + 16 + 1 + 4 + utf8.length];
        payload[0] = 0; // session chunk flag: last (only) chunk
        payload[1] = 1; // messaging version
        System.arraycopy(id, 0, payload, 2, 16);
        payload[18] = 0; // flags: no predecessor
        java.nio.ByteBuffer.wrap(payload, 19, 4).putInt(utf8.length);
        System.arraycopy(utf8, 0, payload, 23, utf8.length);
        synchronized (sending) {
            if (currentOut == null) {
                throw new IOException("no session");
            }
            writeFrame(currentOut, currentRecords.seal(MESSAGE, payload));
        }
        return HexFormat.of().formatHex(id);
    }

    /** 48-bit milliseconds, then a counter in the random part so ids strictly increase (M.1). */
    private synchronized byte[] nextId() {
        long now = Math.max(System.currentTimeMillis(), lastMillis);
        lastMillis = now;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putShort((short) (now >>> 32)).putInt((int) now).putShort((short) 0).putLong(++sequence);
        return b.array();
    }

    /** ACK payload after the chunk flag: {@code u8 1 ‖ u16 k ‖ k × id}. */
    private void recordAcks(byte[] payload) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload);
        b.get(); // chunk flag
        if (b.get() != 1) {
            return;
        }
        int k = b.getShort() & 0xFFFF;
        for (int i = 0; i < k && b.remaining() >= 16; i++) {
            byte[] id = new byte[16];
            b.get(id);
            acked.add(HexFormat.of().formatHex(id));
        }
    }

    /** The responder's handshake payload: version 1 chosen, our uid and name, no endpoints. */
    private byte[] payload() {
        byte[] name = "spec-peer".getBytes(StandardCharsets.UTF_8);
        byte[] id = uid.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[2 + 1 + id.length + 1 + name.length + 1];
        int i = 0;
        p[i++] = 1;
        p[i++] = 1;
        p[i++] = (byte) id.length;
        System.arraycopy(id, 0, p, i, id.length);
        i += id.length;
        p[i++] = (byte) name.length;
        System.arraycopy(name, 0, p, i, name.length);
        i += name.length;
        p[i] = 0;
        return p;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("frame length " + length);
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() throws IOException {
        server.close();
        keys.destroy();
    }
}
