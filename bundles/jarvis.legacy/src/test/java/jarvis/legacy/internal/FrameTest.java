package jarvis.legacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jarvis.crypto.LegacyJarvis1Crypto;
import jarvis.crypto.X25519KeyPair;
import org.junit.jupiter.api.Test;

/** The 1.x frames, key exchange and payloads byte for byte, against the vectors of the original program. */
class FrameTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonNode VECTORS = load();

    private static JsonNode load() {
        try (InputStream in = FrameTest.class.getResourceAsStream("/vectors/jarvis1/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] vectorHex(String section, String field) {
        return HEX.parseHex(VECTORS.path(section).path(field).asText());
    }

    private static DataInputStream stream(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void pingAndPongAreTheVectorBytes() throws Exception {
        byte[] ping = vectorHex("frames", "ping_hex");
        byte[] pong = vectorHex("frames", "pong_hex");
        assertThat(new Frame(FrameType.PING, Payloads.EMPTY).encode()).isEqualTo(ping);
        assertThat(new Frame(FrameType.PONG, Payloads.EMPTY).encode()).isEqualTo(pong);
        Frame read = Frame.read(stream(ping), 4096);
        assertThat(read.type()).isEqualTo(FrameType.PING);
        assertThat(new String(read.payload(), StandardCharsets.US_ASCII)).isEqualTo("{}");
    }

    @Test
    void keyExchangeIsALengthOf32ThenTheRawKeyAndGivesTheVectorLayerKeys() throws Exception {
        byte[] aPublic = vectorHex("x25519", "a_public");
        byte[] message = Frame.keyMessage(aPublic);
        assertThat(HEX.formatHex(message)).isEqualTo("00000020" + HEX.formatHex(aPublic));
        assertThat(Frame.readKey(stream(message))).isEqualTo(aPublic);

        X25519KeyPair b = X25519KeyPair.fromPrivateKey(vectorHex("x25519", "b_private"));
        byte[] shared = b.agree(Frame.readKey(stream(message)));
        assertThat(shared).isEqualTo(vectorHex("x25519", "shared"));
        LegacyJarvis1Crypto.LayerKeys keys = LegacyJarvis1Crypto.deriveLayerKeys(shared);
        int layer = 1;
        for (JsonNode k : VECTORS.path("layer_keys_from_shared")) {
            assertThat(HEX.formatHex(keys.key(layer++))).isEqualTo(k.asText());
        }
        assertThat(layer).isEqualTo(6);
    }

    @Test
    void keyExchangeOfAnotherLengthIsRefused() {
        byte[] bad = HEX.parseHex("7fffffff" + "00".repeat(32));
        assertThatThrownBy(() -> Frame.readKey(stream(bad))).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("2147483647 bytes, not 32");
    }

    @Test
    void oversizeLengthIsRefusedAfterTheHeaderWithoutReadingOn() throws Exception {
        // Announces 4 GiB - 1; a reader that allocated or waited for it would fail differently (or hang).
        byte[] header = HEX.parseHex("01000affffffff" + "7b7d");
        DataInputStream in = stream(header);
        assertThatThrownBy(() -> Frame.read(in, 1024 * 1024)).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("4294967295 bytes");
        assertThat(in.available()).isEqualTo(2);
    }

    @Test
    void versionOtherThanOneIsRefused() {
        assertThatThrownBy(() -> Frame.read(stream(HEX.parseHex("020003000000027b7d")), 4096))
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("version 2");
    }

    @Test
    void handshakePayloadsAreWhatPythonJsonDumpsWrites() throws Exception {
        String uid = "0123456789abcdef0123456789abcdef";
        String fp = VECTORS.path("fingerprint").path("a").asText();
        byte[] hello = Payloads.handshake(uid, "alice", fp);
        assertThat(new String(hello, StandardCharsets.US_ASCII)).isEqualTo("{\"uid\": \"" + uid
                + "\", \"username\": \"alice\", \"public_key\": \"" + fp + "\", \"protocol_version\": 1}");
        assertThat(new String(Payloads.handshakeResponse(uid, "alice", fp), StandardCharsets.US_ASCII))
                .isEqualTo("{\"uid\": \"" + uid + "\", \"username\": \"alice\", \"public_key\": \"" + fp
                        + "\", \"accepted\": true}");
        Frame frame = new Frame(FrameType.HANDSHAKE, hello);
        byte[] bytes = frame.encode();
        assertThat(HEX.formatHex(bytes, 0, 7)).isEqualTo("010001" + String.format("%08x", hello.length));
        Payloads.Hello read = Payloads.readHello(Frame.read(stream(bytes), 4096).payload());
        assertThat(read.fingerprint()).isEqualTo(fp);
        assertThat(read.uid()).isEqualTo(uid);
    }

    @Test
    void textEscapesLikePythonEnsureAscii() {
        String json = new PythonJson().put("username", "z\u00e9\n\"\\\ud83d\ude00\u0001").toString();
        assertThat(json).isEqualTo("{\"username\": \"z\\u00e9\\n\\\"\\\\\\ud83d\\ude00\\u0001\"}");
    }

    @Test
    void theVectorEnvelopeInsideAMessageFrameDecryptsAndContentIsEmpty() throws Exception {
        JsonNode v = VECTORS.path("five_layer");
        String encrypted = "{\"nonce1\": \"" + v.path("nonce1_b64").asText() + "\", \"nonce2\": \""
                + v.path("nonce2_b64").asText() + "\", \"nonce3\": \"" + v.path("nonce3_b64").asText()
                + "\", \"nonce4\": \"" + v.path("nonce4_b64").asText() + "\", \"nonce5\": \""
                + v.path("nonce5_b64").asText() + "\", \"ciphertext\": \"" + v.path("ciphertext_b64").asText()
                + "\", \"version\": \"1.0\", \"layers\": 5}";
        byte[] payload = Payloads.text("00112233445566778899aabbccddeeff", java.time.Instant.parse(
                "2025-10-26T21:53:45.123456Z"), encrypted);
        assertThat(new String(payload, StandardCharsets.US_ASCII)).isEqualTo(
                "{\"message_id\": \"00112233445566778899aabbccddeeff\", \"content\": \"\", \"timestamp\": "
                        + "\"2025-10-26T21:53:45.123456\", \"encrypted\": " + encrypted + "}");

        Payloads.Text text = Payloads.readText(Frame.read(stream(new Frame(FrameType.TEXT_MESSAGE, payload).encode()),
                4096).payload(), false);
        LegacyJarvis1Crypto.MessageEnvelope envelope = LegacyJarvis1Crypto.MessageEnvelope.fromJson(text.encryptedJson());
        assertThat(Base64.getEncoder().encodeToString(envelope.ciphertext())).isEqualTo(v.path("ciphertext_b64").asText());
        String plain = LegacyJarvis1Crypto.decryptMessage(
                LegacyJarvis1Crypto.deriveLayerKeys(vectorHex("x25519", "shared")), envelope);
        assertThat(plain).isEqualTo(v.path("plaintext_utf8").asText());
        assertThat(text.messageId()).isEqualTo("00112233445566778899aabbccddeeff");
    }

    @Test
    void messageWithoutEncryptedObjectOrNotJsonIsRefused() {
        assertThatThrownBy(() -> Payloads.readText("{\"message_id\": \"x\", \"content\": \"hi\"}"
                .getBytes(StandardCharsets.US_ASCII), false)).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> Payloads.readHello(new byte[] {(byte) 0xff, '{'}))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> Payloads.readHello("[1]".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void replayGuardDropsARepeatedIdOrCiphertextAndStaysBounded() {
        ReplayGuard guard = new ReplayGuard(8);
        String alice = "0123456789abcdef0123456789abcdef";
        assertThat(guard.firstTime(alice, "a".repeat(32), new byte[] {1})).isTrue();
        assertThat(guard.firstTime(alice, "a".repeat(32), new byte[] {2})).isFalse();
        assertThat(guard.firstTime(alice, "b".repeat(32), new byte[] {1})).isFalse();
        assertThat(guard.firstTime("f".repeat(32), "a".repeat(32), new byte[] {1})).isTrue();
        for (int i = 0; i < 100; i++) {
            guard.firstTime(alice, String.format("%032x", i), new byte[] {(byte) i, 7});
        }
        assertThat(guard.size()).isLessThanOrEqualTo(8);
    }
}
