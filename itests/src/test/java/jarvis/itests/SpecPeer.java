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
 * it answers IK handshakes with ChaChaPoly on 127.0.0.1, then echoes PINGs. It records what
 * happened to every link so a test can follow sessions from the outside.
 */
final class SpecPeer implements AutoCloseable {

    static final byte HANDSHAKE = 0x01;
    static final int PING = 1;
    static final int PONG = 2;

    final X25519KeyPair keys = X25519KeyPair.generate(new SecureRandom());
    final String uid = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
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
                events.add("online");
                while (true) {
                    ReceivedRecord r = records.open(readFrame(in));
                    if (r.contentType() == PING) {
                        writeFrame(out, records.seal(PONG, r.payload()));
                    }
                }
            }
        } catch (EOFException e) {
            events.add("closed");
        } catch (Exception e) {
            events.add("closed: " + e);
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
