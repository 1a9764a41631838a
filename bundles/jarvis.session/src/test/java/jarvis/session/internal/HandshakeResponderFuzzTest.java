package jarvis.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jarvis.api.Endpoint;
import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.NoisePattern;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the handshake responder (docs/protocol.md S.1, S.2): an input is the transcript of handshake frames a
 * dialer sends to a listener, each preceded by its length as u32be. The responder is driven as the session
 * manager drives it: {@link Handshaker#responder} from the first frame, {@link Handshaker#read} for each frame, the
 * version and identity rules of S.2, our reply written when it is our turn. The responder's ephemeral key comes
 * from a fixed random stream, so a recorded XX transcript (messages 1 and 3) replays. Documented refusals:
 * {@link ProtocolViolation} and {@link CryptoException}. A transcript that completes must have proven the
 * genuine initiator's static key: no mutation may complete a handshake as anyone else.
 */
class HandshakeResponderFuzzTest {

    static final String TARGET = "handshake-responder";
    static final X25519KeyPair RESPONDER = X25519KeyPair.fromPrivateKey(filled(0x11));
    static final X25519KeyPair INITIATOR = X25519KeyPair.fromPrivateKey(filled(0x22));
    static final String INITIATOR_UID = "0123456789abcdef0123456789abcdef";
    static final String RESPONDER_UID = "fedcba9876543210fedcba9876543210";
    static final long RESPONDER_RANDOM = 42;

    private static byte[] filled(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** A SecureRandom whose bytes are a fixed stream: handshakes become repeatable. */
    static SecureRandom fixedRandom(long seed) {
        Random stream = new Random(seed);
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                stream.nextBytes(bytes);
            }
        };
    }

    static HandshakePayload initiatorPayload(byte[] versions) {
        return new HandshakePayload(versions, INITIATOR_UID, "initiator é🌸",
                List.of(Endpoint.tcp("203.0.113.7", 5000), Endpoint.tcp("2001:db8::1", 5001)));
    }

    static HandshakePayload responderPayload(int version) {
        return new HandshakePayload(new byte[] {(byte) version}, RESPONDER_UID, "responder", List.of());
    }

    /** Splits a transcript: u32be length, frame; a length past the end takes the rest. */
    static List<byte[]> frames(byte[] input) {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(input);
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                byte[] rest = new byte[in.remaining()];
                in.get(rest);
                frames.add(rest);
                break;
            }
            long length = Integer.toUnsignedLong(in.getInt());
            byte[] frame = new byte[(int) Math.min(length, in.remaining())];
            in.get(frame);
            frames.add(frame);
        }
        return frames;
    }

    static byte[] transcript(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(f.length).array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** What the session manager's responder does with these frames (SessionManager.onFrame / responderRead). */
    static void respond(byte[] input) throws CryptoException, ProtocolViolation {
        List<byte[]> frames = frames(input);
        if (frames.isEmpty()) {
            throw new ProtocolViolation("no frame");
        }
        Handshaker responder = null;
        int version = -1;
        try {
            for (byte[] frame : frames) {
                if (responder == null) {
                    if (frame.length == 0 || frame[0] != WireFormat.HANDSHAKE_FRAME) {
                        throw new ProtocolViolation("not a jarvis/2 handshake");
                    }
                    responder = Handshaker.responder(frame, RESPONDER, fixedRandom(RESPONDER_RANDOM));
                }
                HandshakePayload payload = responder.read(frame);
                if (responder.pattern() == WireFormat.PATTERN_IK) {
                    version = common(payload);
                    requireIdentity(payload);
                    responder.write(responderPayload(version));
                    completed(responder, payload);
                } else if (responder.messages() == 1) {
                    version = common(payload);
                    if (payload.hasIdentity()) {
                        throw new ProtocolViolation("XX message 1 must not carry an identity");
                    }
                    responder.write(responderPayload(version));
                } else {
                    requireIdentity(payload);
                    if (payload.versions().length != 1 || (payload.versions()[0] & 0xff) != version) {
                        throw new ProtocolViolation("XX message 3 must repeat the chosen version");
                    }
                    completed(responder, payload);
                }
            }
        } finally {
            if (responder != null) {
                responder.close();
            }
        }
    }

    private static int common(HandshakePayload payload) throws ProtocolViolation {
        int v = HandshakePayload.choose(payload.versions(), WireFormat.SUPPORTED_VERSIONS);
        if (v < 0) {
            throw new ProtocolViolation("no common version");
        }
        return v;
    }

    private static void requireIdentity(HandshakePayload payload) throws ProtocolViolation {
        if (!payload.hasIdentity()) {
            throw new ProtocolViolation("no identity");
        }
    }

    /** A complete handshake proved the genuine initiator's key and carried its identity; its keys work. */
    private static void completed(Handshaker responder, HandshakePayload payload) {
        assertThat(responder.isComplete()).isTrue();
        assertThat(responder.remoteStaticKey()).as("proven static key").isEqualTo(INITIATOR.publicKey());
        assertThat(payload.uid()).isEqualTo(INITIATOR_UID);
        TransportKeys keys = responder.split();
        try (RecordCipher cipher = FiveLayerCipher.create(keys, Role.RESPONDER)) {
            assertThat(cipher).isNotNull();
        } finally {
            keys.destroy();
        }
    }

    /** The frames of a real initiator of (pattern, cipher) talking to the responder above. */
    static List<byte[]> genuine(byte pattern, byte cipher, HandshakePayload first, HandshakePayload third)
            throws CryptoException, ProtocolViolation {
        NoisePattern p = WireFormat.pattern(pattern);
        NoiseHandshake initiator = NoiseHandshake.initiator(p, WireFormat.cipher(cipher),
                WireFormat.prologue(pattern, cipher), INITIATOR, p == NoisePattern.IK ? RESPONDER.publicKey() : null,
                fixedRandom(7));
        byte[] f1 = WireFormat.handshakeFrame(pattern, cipher, initiator.writeMessage(first.encode()));
        if (p == NoisePattern.IK) {
            return List.of(f1);
        }
        Handshaker responder = Handshaker.responder(f1, RESPONDER, fixedRandom(RESPONDER_RANDOM));
        responder.read(f1);
        byte[] f2 = responder.write(responderPayload(1));
        initiator.readMessage(Arrays.copyOfRange(f2, WireFormat.HANDSHAKE_HEADER_LENGTH, f2.length));
        byte[] f3 = WireFormat.handshakeFrame(pattern, cipher, initiator.writeMessage(third.encode()));
        responder.close();
        initiator.close();
        return List.of(f1, f3);
    }

    static Map<String, byte[]> corpus() throws Exception {
        byte[] v1 = {1};
        HandshakePayload offer = initiatorPayload(new byte[] {3, 1, 2});
        HandshakePayload versionsOnly = HandshakePayload.versionsOnly(new byte[] {1});
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<byte[]> ik = genuine(WireFormat.PATTERN_IK, WireFormat.CIPHER_CHACHAPOLY, offer, null);
        files.put("valid-ik-chachapoly", transcript(ik.get(0)));
        files.put("valid-ik-aesgcm", transcript(genuine(WireFormat.PATTERN_IK, WireFormat.CIPHER_AESGCM, offer, null)
                .get(0)));
        List<byte[]> xx = genuine(WireFormat.PATTERN_XX, WireFormat.CIPHER_CHACHAPOLY, versionsOnly,
                initiatorPayload(v1));
        files.put("valid-xx-chachapoly", transcript(xx.toArray(byte[][]::new)));
        files.put("valid-xx-aesgcm", transcript(genuine(WireFormat.PATTERN_XX, WireFormat.CIPHER_AESGCM, versionsOnly,
                initiatorPayload(v1)).toArray(byte[][]::new)));
        files.put("valid-xx-message-1", transcript(xx.get(0)));
        files.put("bad-frame-after-completion", transcript(ik.get(0), ik.get(0)));
        files.put("bad-ik-no-common-version", transcript(genuine(WireFormat.PATTERN_IK, WireFormat.CIPHER_CHACHAPOLY,
                initiatorPayload(new byte[] {7, 9}), null).get(0)));
        files.put("bad-xx-message-1-with-identity", transcript(genuine(WireFormat.PATTERN_XX,
                WireFormat.CIPHER_CHACHAPOLY, initiatorPayload(v1), initiatorPayload(v1)).get(0)));
        files.put("bad-xx-message-3-other-version", transcript(genuine(WireFormat.PATTERN_XX,
                WireFormat.CIPHER_CHACHAPOLY, versionsOnly, initiatorPayload(new byte[] {2})).toArray(byte[][]::new)));
        byte[] record = ik.get(0).clone();
        record[0] = WireFormat.RECORD_FRAME;
        files.put("bad-record-first", transcript(record));
        byte[] pattern = ik.get(0).clone();
        pattern[1] = 3;
        files.put("bad-unknown-pattern", transcript(pattern));
        byte[] cipher = ik.get(0).clone();
        cipher[2] = 9;
        files.put("bad-unknown-cipher", transcript(cipher));
        byte[] changed = xx.get(1).clone();
        changed[2] = WireFormat.CIPHER_AESGCM;
        files.put("bad-cipher-changed-mid-handshake", transcript(xx.get(0), changed));
        files.put("bad-ik-truncated", transcript(Arrays.copyOf(ik.get(0), 40)));
        files.put("bad-xx-message-3-alone", transcript(xx.get(1)));
        files.put("bad-empty-frame", transcript(new byte[0]));
        return files;
    }

    @Test
    void theResponderRefusesAnyButGenuineTranscriptsWithProtocolViolationOrCryptoException() throws Exception {
        List<byte[]> corpus = Fuzz.target(TARGET).corpus();
        Fuzz.Report report = Fuzz.target(TARGET)
                .documented(ProtocolViolation.class, CryptoException.class)
                .tries(10_000)
                .interesting(HandshakePayload.MAX_LENGTH, 65535, Endpoint.MAX_LENGTH, 32, 48)
                .dictionary(List.of(new byte[] {1, 1, 1}, new byte[] {1, 2, 1}, new byte[] {1, 1, 2}, new byte[] {1, 2, 2},
                        "jarvis/2".getBytes(StandardCharsets.US_ASCII), Mutator.integer(48, 4, true)))
                .lengths(300, 1 << 17)
                .maxAllocation(input -> (4L << 20) + 32L * input.length)
                .run(HandshakeResponderFuzzTest::respond);
        assertThat(corpus).isNotEmpty();
        assertThat(report.accepted()).isGreaterThanOrEqualTo(5);
        assertThat(report.refused()).containsKeys("ProtocolViolation", "AuthenticationFailedException");
    }

    @Test
    void handshakePayloadDecodeRefusesWithProtocolViolationOnlyAndReencodesWhatItAccepts() {
        Fuzz.target("handshake-payload")
                .documented(ProtocolViolation.class)
                .tries(20_000)
                .interesting(HandshakePayload.MAX_LENGTH, HandshakePayload.MAX_VERSIONS,
                        HandshakePayload.MAX_ENDPOINTS, Endpoint.MAX_LENGTH, 32)
                .dictionary(Mutator.tokens("tcp://", "[::1]", ":5000", INITIATOR_UID, "example.org"))
                .lengths(300, 2 * HandshakePayload.MAX_LENGTH)
                .maxAllocation(input -> (1L << 20) + 32L * input.length)
                .run(input -> {
                    HandshakePayload decoded = HandshakePayload.decode(input);
                    assertSame(HandshakePayload.decode(decoded.encode()), decoded);
                });
    }

    @Test
    void anyPayloadRoundTripsThroughEncodeAndDecode() {
        Fuzz.target("handshake-payload-round-trip").tries(3000).property(r -> {
            byte[] versions = Gen.bytes(r, 1 + r.nextInt(HandshakePayload.MAX_VERSIONS));
            boolean identity = r.nextInt(4) != 0;
            String uid = identity ? Gen.uid(r) : "";
            String name = identity ? Gen.text(r, r.nextInt(5) == 0 ? 200 : 20, true) : "";
            List<Endpoint> endpoints = identity ? Gen.endpoints(r, 10) : List.of();
            HandshakePayload sent = new HandshakePayload(versions, uid, name, endpoints);
            HandshakePayload got = HandshakePayload.decode(sent.encode());
            assertThat(got.versions()).isEqualTo(versions);
            assertThat(got.uid()).isEqualTo(uid);
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            // Names longer than 255 bytes arrive cut on a character boundary; nothing else changes.
            assertThat(name).startsWith(got.username());
            assertThat(got.username().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255)
                    .isGreaterThan(Math.min(utf8.length, 255) - 4);
            assertThat(got.endpoints()).isEqualTo(endpoints.subList(0, Math.min(endpoints.size(),
                    HandshakePayload.MAX_ENDPOINTS)));
        });
    }

    @Test
    void liveHandshakesOfEveryPatternAndCipherCompleteWithTheSameKeysOnBothSides() {
        Fuzz.target("handshake-live").tries(200).property(r -> {
            X25519KeyPair a = X25519KeyPair.fromPrivateKey(Gen.bytes(r, 32));
            X25519KeyPair b = X25519KeyPair.fromPrivateKey(Gen.bytes(r, 32));
            byte pattern = r.nextBoolean() ? WireFormat.PATTERN_IK : WireFormat.PATTERN_XX;
            byte cipher = r.nextBoolean() ? WireFormat.CIPHER_CHACHAPOLY : WireFormat.CIPHER_AESGCM;
            Aead aead = WireFormat.cipher(cipher);
            NoisePattern p = WireFormat.pattern(pattern);
            NoiseHandshake initiator = NoiseHandshake.initiator(p, aead, WireFormat.prologue(pattern, cipher), a,
                    p == NoisePattern.IK ? b.publicKey() : null, fixedRandom(r.nextLong()));
            HandshakePayload first = p == NoisePattern.IK ? new HandshakePayload(new byte[] {1}, Gen.uid(r),
                    Gen.text(r, 30, false), Gen.endpoints(r, 8)) : HandshakePayload.versionsOnly(new byte[] {1});
            byte[] f1 = WireFormat.handshakeFrame(pattern, cipher, initiator.writeMessage(first.encode()));
            Handshaker responder = Handshaker.responder(f1, b, fixedRandom(r.nextLong()));
            HandshakePayload got1 = responder.read(f1);
            assertThat(got1.uid()).isEqualTo(first.uid());
            byte[] f2 = responder.write(responderPayload(1));
            HandshakePayload got2 = HandshakePayload.decode(initiator.readMessage(
                    Arrays.copyOfRange(f2, WireFormat.HANDSHAKE_HEADER_LENGTH, f2.length)));
            assertThat(got2.uid()).isEqualTo(RESPONDER_UID);
            if (p == NoisePattern.XX) {
                HandshakePayload third = new HandshakePayload(new byte[] {1}, Gen.uid(r), "x", List.of());
                byte[] f3 = WireFormat.handshakeFrame(pattern, cipher, initiator.writeMessage(third.encode()));
                assertThat(responder.read(f3).uid()).isEqualTo(third.uid());
            }
            assertThat(initiator.isComplete()).isTrue();
            assertThat(responder.isComplete()).isTrue();
            assertThat(responder.remoteStaticKey()).isEqualTo(a.publicKey());
            TransportKeys ki = initiator.split();
            TransportKeys kr = responder.split();
            assertThat(ki.handshakeHash()).isEqualTo(kr.handshakeHash());
            try (RecordCipher ci = FiveLayerCipher.create(ki, Role.INITIATOR);
                    RecordCipher cr = FiveLayerCipher.create(kr, Role.RESPONDER)) {
                byte[] text = Gen.bytes(r, r.nextInt(100));
                assertThat(cr.open(ci.seal(0x10, text)).payload()).isEqualTo(text);
                assertThat(ci.open(cr.seal(0x11, text)).payload()).isEqualTo(text);
            }
        });
    }

    private static void assertSame(HandshakePayload actual, HandshakePayload expected) {
        assertThat(actual.versions()).isEqualTo(expected.versions());
        assertThat(actual.uid()).isEqualTo(expected.uid());
        assertThat(actual.username()).isEqualTo(expected.username());
        assertThat(actual.endpoints()).isEqualTo(expected.endpoints());
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws Exception {
        Fuzz.writeCorpus(TARGET, corpus());
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("valid-initiator", initiatorPayload(new byte[] {1, 2}).encode());
        payloads.put("valid-versions-only", HandshakePayload.versionsOnly(new byte[] {1}).encode());
        payloads.put("valid-responder", responderPayload(1).encode());
        payloads.put("bad-no-versions", new byte[] {0, 0, 0, 0});
        payloads.put("bad-truncated", Arrays.copyOf(initiatorPayload(new byte[] {1}).encode(), 30));
        payloads.put("bad-identity-fields-without-uid", new byte[] {1, 1, 0, 1, 'x', 0});
        payloads.put("bad-endpoint-length-65535", withEndpointLength(65535));
        payloads.put("bad-endpoint-length-301", withEndpointLength(Endpoint.MAX_LENGTH + 1));
        Fuzz.writeCorpus("handshake-payload", payloads);
    }

    /** The initiator's payload with one endpoint whose length field says {@code length}, followed by 9 bytes. */
    private static byte[] withEndpointLength(int length) throws IOException {
        HandshakePayload p = initiatorPayload(new byte[] {1});
        byte[] base = new HandshakePayload(p.versions(), p.uid(), p.username(), List.of()).encode();
        base[base.length - 1] = 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(base);
        out.write(length >>> 8);
        out.write(length & 0xff);
        out.write("tcp://a:1".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
