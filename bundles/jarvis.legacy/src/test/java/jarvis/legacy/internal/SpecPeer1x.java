package jarvis.legacy.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jarvis.crypto.LegacyJarvis1Crypto;
import jarvis.crypto.X25519KeyPair;

/**
 * A Jarvis 1.x peer written from the specification of the original (sections 4.2 to 4.5), on plain blocking
 * sockets, independent of the bundle's own codec: it frames, writes JSON and checks the handshake itself, and
 * uses only the five-layer cipher (checked against the vectors elsewhere). It keeps a transcript of every frame
 * (direction, type, payload length).
 */
final class SpecPeer1x implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 20_000;
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    final String uid;
    final String username;
    final X25519KeyPair keys;
    final List<String> transcript;
    private final SecureRandom random = new SecureRandom();
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private LegacyJarvis1Crypto.LayerKeys layerKeys;
    private ServerSocket server;

    SpecPeer1x(String uid, String username, X25519KeyPair keys, List<String> transcript) {
        this.uid = uid;
        this.username = username;
        this.keys = keys;
        this.transcript = transcript;
    }

    static SpecPeer1x generate(String username, List<String> transcript) {
        byte[] uid = new byte[16];
        new SecureRandom().nextBytes(uid);
        return new SpecPeer1x(HEX.formatHex(uid), username, X25519KeyPair.generate(new SecureRandom()), transcript);
    }

    String publicKeyHex() {
        return HEX.formatHex(keys.publicKey());
    }

    static String fingerprint(byte[] key) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(key));
    }

    // ---- connection set-up as 1.x does it ----

    /** Dials the daemon: raw key exchange, then HANDSHAKE with {@code claimedFingerprint} in public_key. */
    byte[] dialKeyExchange(int port) throws Exception {
        return dialKeyExchangeAs(port, keys.publicKey());
    }

    /** The key exchange presenting {@code sentKey} (an impostor sends a key whose private half it lacks). */
    byte[] dialKeyExchangeAs(int port, byte[] sentKey) throws Exception {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(ByteBuffer.allocate(36).putInt(32).put(sentKey).array());
        out.flush();
        transcript.add(username + " -> key exchange 32 bytes");
        int length = in.readInt();
        if (length != 32) {
            throw new IOException("key length " + length);
        }
        byte[] peerKey = in.readNBytes(32);
        transcript.add(username + " <- key exchange 32 bytes");
        layerKeys = LegacyJarvis1Crypto.deriveLayerKeys(keys, peerKey);
        return peerKey;
    }

    /** The rest of the dialer's handshake; returns the HANDSHAKE_RESPONSE payload. */
    JsonNode handshake(String claimedFingerprint) throws Exception {
        sendFrame(1, "{\"uid\": \"" + uid + "\", \"username\": \"" + username + "\", \"public_key\": \""
                + claimedFingerprint + "\", \"protocol_version\": 1}");
        Received r = readFrame();
        if (r.type != 2) {
            throw new IOException("expected HANDSHAKE_RESPONSE, got type " + r.type);
        }
        return r.json();
    }

    void dial(int port) throws Exception {
        dialKeyExchange(port);
        JsonNode answer = handshake(fingerprint(keys.publicKey()));
        if (!answer.path("accepted").asBoolean()) {
            throw new IOException("not accepted");
        }
    }

    /** Listens on 127.0.0.1 for the daemon to dial; returns the port. */
    int listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        server.setSoTimeout(TIMEOUT_MILLIS);
        return server.getLocalPort();
    }

    /** Accepts the daemon's dial as the 1.x responder; returns the HANDSHAKE payload and the dialer's key. */
    JsonNode accept(byte[] expectedDialerKey) throws Exception {
        socket = server.accept();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (in.readInt() != 32) {
            throw new IOException("bad key length");
        }
        byte[] dialerKey = in.readNBytes(32);
        transcript.add(username + " <- key exchange 32 bytes");
        if (!java.util.Arrays.equals(dialerKey, expectedDialerKey)) {
            throw new IOException("the dialer is not the expected key");
        }
        out.write(ByteBuffer.allocate(36).putInt(32).put(keys.publicKey()).array());
        out.flush();
        transcript.add(username + " -> key exchange 32 bytes");
        layerKeys = LegacyJarvis1Crypto.deriveLayerKeys(keys, dialerKey);
        Received hello = readFrame();
        if (hello.type != 1) {
            throw new IOException("expected HANDSHAKE, got " + hello.type);
        }
        sendFrame(2, "{\"uid\": \"" + uid + "\", \"username\": \"" + username + "\", \"public_key\": \""
                + fingerprint(keys.publicKey()) + "\", \"accepted\": true}");
        return hello.json();
    }

    // ---- frames ----

    record Received(int type, byte[] payload) {
        JsonNode json() throws IOException {
            return JSON.readTree(payload);
        }
    }

    byte[] frameBytes(int type, String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(7 + payload.length).put((byte) 1).putShort((short) type).putInt(payload.length)
                .put(payload).array();
    }

    void sendFrame(int type, String json) throws IOException {
        sendRaw(frameBytes(type, json), type);
    }

    void sendRaw(byte[] bytes, int type) throws IOException {
        out.write(bytes);
        out.flush();
        long announced = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 3, 4).getInt());
        transcript.add(username + " -> " + name(type) + " " + (bytes.length - 7) + " bytes"
                + (announced == bytes.length - 7 ? "" : " (header announces " + announced + ")"));
    }

    /** Reads the next frame, answering PINGs on the way as 1.x does. */
    Received readFrame() throws IOException {
        while (true) {
            int version = in.readUnsignedByte();
            if (version != 1) {
                throw new IOException("version " + version);
            }
            int type = in.readUnsignedShort();
            int length = in.readInt();
            if (length < 0 || length > 10 * 1024 * 1024) {
                throw new IOException("length " + length);
            }
            byte[] payload = in.readNBytes(length);
            transcript.add(username + " <- " + name(type) + " " + length + " bytes");
            if (type == 3) {
                sendFrame(4, "{}");
                continue;
            }
            return new Received(type, payload);
        }
    }

    /** True when the daemon closed the connection (EOF or reset) before the timeout. */
    boolean closedByDaemon() throws IOException {
        try {
            while (true) {
                readFrame();
            }
        } catch (EOFException e) {
            transcript.add(username + " <- connection closed");
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            transcript.add(username + " <- connection reset (" + e.getMessage() + ")");
            return true;
        }
    }

    // ---- messages ----

    String encrypted(String text) {
        return LegacyJarvis1Crypto.encryptMessage(layerKeys, text, random).toJson();
    }

    /** A TEXT_MESSAGE as 1.x sends it, plaintext copy in content and all (we put a decoy there). */
    String textMessage(String messageId, String text, String content) {
        return "{\"message_id\": \"" + messageId + "\", \"content\": \"" + content + "\", \"timestamp\": "
                + "\"2025-10-26T21:53:45.123456\", \"encrypted\": " + encrypted(text) + "}";
    }

    String groupMessage(String groupId, String messageId, String senderUid, String text) {
        return "{\"group_id\": \"" + groupId + "\", \"message_id\": \"" + messageId + "\", \"sender_uid\": \""
                + senderUid + "\", \"content\": \"\", \"timestamp\": \"2025-10-26T21:53:46.000001\", "
                + "\"encrypted\": " + encrypted(text) + "}";
    }

    String decrypt(JsonNode message) throws Exception {
        return LegacyJarvis1Crypto.decryptMessage(layerKeys,
                LegacyJarvis1Crypto.MessageEnvelope.fromJson(message.get("encrypted").toString()));
    }

    static String newMessageId() {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return HEX.formatHex(id);
    }

    static String name(int type) {
        return switch (type) {
            case 1 -> "HANDSHAKE";
            case 2 -> "HANDSHAKE_RESPONSE";
            case 3 -> "PING";
            case 4 -> "PONG";
            case 10 -> "TEXT_MESSAGE";
            case 24 -> "GROUP_MESSAGE";
            default -> "type " + type;
        };
    }

    void disconnect() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        disconnect();
        if (server != null) {
            server.close();
        }
    }

    static List<String> newTranscript() {
        return new CopyOnWriteArrayList<>();
    }
}
