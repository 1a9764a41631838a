package jarvis.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The public handshake API as the session layer uses it, ending in a working five-layer record cipher. */
class NoiseHandshakeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROLOGUE = "jarvis/2".getBytes(StandardCharsets.US_ASCII);

    private final X25519KeyPair alice = X25519KeyPair.generate(RANDOM);
    private final X25519KeyPair bob = X25519KeyPair.generate(RANDOM);

    private NoiseHandshake initiator(NoisePattern pattern, Aead cipher) {
        return NoiseHandshake.initiator(pattern, cipher, PROLOGUE, alice,
                pattern == NoisePattern.IK ? bob.publicKey() : null, RANDOM);
    }

    private NoiseHandshake responder(NoisePattern pattern, Aead cipher) {
        return NoiseHandshake.responder(pattern, cipher, PROLOGUE, bob, RANDOM);
    }

    /** Runs the handshake to completion, passing messages back and forth. */
    private static void run(NoiseHandshake a, NoiseHandshake b) throws CryptoException {
        NoiseHandshake writer = a;
        NoiseHandshake reader = b;
        int n = 0;
        while (!a.isComplete()) {
            byte[] payload = ("payload " + n++).getBytes(StandardCharsets.US_ASCII);
            assertThat(reader.readMessage(writer.writeMessage(payload))).isEqualTo(payload);
            NoiseHandshake t = writer;
            writer = reader;
            reader = t;
        }
        assertThat(b.isComplete()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(NoisePattern.class)
    void handshakeAuthenticatesBothSidesAndKeysTheRecordLayer(NoisePattern pattern) throws CryptoException {
        for (Aead cipher : Aead.values()) {
            NoiseHandshake a = initiator(pattern, cipher);
            NoiseHandshake b = responder(pattern, cipher);
            assertThat(a.protocolName()).isEqualTo("Noise_" + pattern + "_25519_" + cipher.noiseName() + "_SHA256");
            run(a, b);
            assertThat(a.remoteStaticKey()).isEqualTo(bob.publicKey());
            assertThat(b.remoteStaticKey()).isEqualTo(alice.publicKey());
            assertThat(a.handshakeHash()).isEqualTo(b.handshakeHash());
            TransportKeys ka = a.split();
            TransportKeys kb = b.split();
            assertThat(ka.initiatorToResponder()).isEqualTo(kb.initiatorToResponder());
            assertThat(ka.responderToInitiator()).isEqualTo(kb.responderToInitiator());
            assertThat(ka.initiatorToResponder()).isNotEqualTo(ka.responderToInitiator());
            assertThatThrownBy(a::split).isInstanceOf(IllegalStateException.class);

            RecordCipher ra = FiveLayerCipher.create(ka, Role.INITIATOR);
            RecordCipher rb = FiveLayerCipher.create(kb, Role.RESPONDER);
            assertThat(rb.open(ra.seal(1, new byte[] {42})).payload()).containsExactly(42);
            assertThat(ra.open(rb.seal(1, new byte[] {43})).payload()).containsExactly(43);
        }
    }

    @Test
    void freshEphemeralsGiveFreshSessionKeys() throws CryptoException {
        NoiseHandshake a1 = initiator(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        NoiseHandshake b1 = responder(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        run(a1, b1);
        NoiseHandshake a2 = initiator(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        NoiseHandshake b2 = responder(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        run(a2, b2);
        assertThat(a1.split().initiatorToResponder()).isNotEqualTo(a2.split().initiatorToResponder());
    }

    @Test
    void ikToTheWrongResponderKeyFails() throws CryptoException {
        X25519KeyPair mallory = X25519KeyPair.generate(RANDOM);
        NoiseHandshake a = NoiseHandshake.initiator(NoisePattern.IK, Aead.AES_256_GCM, PROLOGUE, alice,
                mallory.publicKey(), RANDOM);
        NoiseHandshake b = responder(NoisePattern.IK, Aead.AES_256_GCM);
        byte[] first = a.writeMessage(new byte[0]);
        assertThatThrownBy(() -> b.readMessage(first)).isInstanceOf(AuthenticationFailedException.class);
        // A failed handshake stays failed.
        assertThatThrownBy(() -> b.readMessage(first)).isInstanceOf(CryptoException.class);
        assertThat(b.isComplete()).isFalse();
        assertThat(b.isMyTurnToWrite()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(NoisePattern.class)
    void differentProloguesFail(NoisePattern pattern) throws CryptoException {
        NoiseHandshake a = NoiseHandshake.initiator(pattern, Aead.CHACHA20_POLY1305,
                "jarvis/3".getBytes(StandardCharsets.US_ASCII), alice,
                pattern == NoisePattern.IK ? bob.publicKey() : null, RANDOM);
        NoiseHandshake b = responder(pattern, Aead.CHACHA20_POLY1305);
        assertThatThrownBy(() -> run(a, b)).isInstanceOf(AuthenticationFailedException.class);
    }

    @ParameterizedTest
    @EnumSource(NoisePattern.class)
    void tamperedOrTruncatedMessagesFail(NoisePattern pattern) throws CryptoException {
        byte[] reference = initiator(pattern, Aead.AES_256_GCM).writeMessage(new byte[] {1, 2, 3});
        for (int i = 0; i < reference.length; i++) {
            NoiseHandshake a = initiator(pattern, Aead.AES_256_GCM);
            NoiseHandshake b = responder(pattern, Aead.AES_256_GCM);
            byte[] m = a.writeMessage(new byte[] {1, 2, 3});
            m[i] ^= 0x40;
            if (pattern == NoisePattern.XX && i < 32) {
                // XX message 1 is a bare ephemeral key and a plaintext payload: nothing authenticates it
                // yet; the change surfaces when message 2 is read by the initiator.
                b.readMessage(m);
                byte[] reply = b.writeMessage(new byte[0]);
                assertThatThrownBy(() -> a.readMessage(reply)).isInstanceOf(CryptoException.class);
            } else if (pattern == NoisePattern.XX) {
                assertThat(b.readMessage(m)).isNotEqualTo(new byte[] {1, 2, 3});
            } else {
                assertThatThrownBy(() -> b.readMessage(m)).isInstanceOf(CryptoException.class);
            }
        }
        NoiseHandshake a = initiator(pattern, Aead.AES_256_GCM);
        NoiseHandshake b = responder(pattern, Aead.AES_256_GCM);
        byte[] m = a.writeMessage(new byte[0]);
        assertThatThrownBy(() -> b.readMessage(Arrays.copyOf(m, 31))).isInstanceOf(CryptoException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void oversizedMessagesAreRefused() throws CryptoException {
        NoiseHandshake a = initiator(NoisePattern.XX, Aead.CHACHA20_POLY1305);
        NoiseHandshake b = responder(NoisePattern.XX, Aead.CHACHA20_POLY1305);
        assertThatThrownBy(() -> a.writeMessage(new byte[NoiseHandshake.MAX_MESSAGE_LENGTH]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.writeMessage(new byte[NoiseHandshake.MAX_MESSAGE_LENGTH - 32])).hasSize(65535);
        assertThatThrownBy(() -> b.readMessage(new byte[NoiseHandshake.MAX_MESSAGE_LENGTH + 1]))
                .isInstanceOf(CryptoException.class).hasMessageContaining("longer than");
    }

    @Test
    void messagesOutOfTurnAreRefused() throws CryptoException {
        NoiseHandshake a = initiator(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        NoiseHandshake b = responder(NoisePattern.IK, Aead.CHACHA20_POLY1305);
        assertThatThrownBy(() -> b.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        byte[] m = a.writeMessage(new byte[0]);
        assertThatThrownBy(() -> a.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        b.readMessage(m);
        // A second message while the responder should be writing: a protocol violation by the peer.
        assertThatThrownBy(() -> b.readMessage(m)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("not this side's turn");
        assertThatThrownBy(() -> a.split()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lowOrderEphemeralIsRefusedAsBadPeerKey() {
        NoiseHandshake b = responder(NoisePattern.XX, Aead.CHACHA20_POLY1305);
        byte[] zeroEphemeral = new byte[32];
        assertThat(catchReadError(b, zeroEphemeral)).isNull();
        assertThatThrownBy(() -> b.writeMessage(new byte[0])).isInstanceOf(BadPeerKeyException.class);
    }

    private static Exception catchReadError(NoiseHandshake h, byte[] message) {
        try {
            h.readMessage(message);
            return null;
        } catch (CryptoException e) {
            return e;
        }
    }

    @Test
    void factoriesCheckWhichKeysArePresent() {
        assertThatThrownBy(() -> NoiseHandshake.initiator(NoisePattern.IK, Aead.AES_256_GCM, PROLOGUE, alice, null,
                RANDOM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoiseHandshake.initiator(NoisePattern.XX, Aead.AES_256_GCM, PROLOGUE, alice,
                bob.publicKey(), RANDOM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoiseHandshake.responder(NoisePattern.XX, Aead.AES_256_GCM, PROLOGUE, null, RANDOM))
                .isInstanceOf(NullPointerException.class);
    }
}
