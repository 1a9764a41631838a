package jarvis.crypto.internal;

import static jarvis.crypto.Vectors.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.Vectors;
import jarvis.crypto.X25519KeyPair;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Every case of vectors/noise/cacophony-25519-sha256.json: IK and XX (the patterns jarvis/2 uses) and also
 * NN, KK and IX, which the same state machine runs. Checks each handshake message byte for byte, each
 * payload, the final handshake hash, and every transport message after Split. Messages alternate by index:
 * even from the initiator, odd from the responder, through the handshake and the transport phase.
 */
class NoiseVectorsTest {

    @Test
    void everyCacophonyCasePasses() throws CryptoException {
        Vectors.Tally tally = new Vectors.Tally("noise/cacophony-25519-sha256.json");
        int ik = 0;
        int xx = 0;
        for (JsonNode v : Vectors.load("noise/cacophony-25519-sha256.json").get("vectors")) {
            String name = v.get("protocol_name").asText();
            String[] parts = name.split("_");
            assertThat(parts).hasSize(5);
            assertThat(parts[2]).isEqualTo("25519");
            assertThat(parts[4]).isEqualTo("SHA256");
            HandshakePattern pattern = HandshakePattern.named(parts[1]);
            Aead cipher = parts[3].equals("AESGCM") ? Aead.AES_256_GCM : Aead.CHACHA20_POLY1305;
            runVector(v, pattern, cipher);
            tally.pass();
            ik += pattern == HandshakePattern.IK ? 1 : 0;
            xx += pattern == HandshakePattern.XX ? 1 : 0;
        }
        tally.print();
        assertThat(tally.run).isEqualTo(10);
        assertThat(ik).isEqualTo(2);
        assertThat(xx).isEqualTo(2);
    }

    private static void runVector(JsonNode v, HandshakePattern pattern, Aead cipher) throws CryptoException {
        String name = v.get("protocol_name").asText();
        HandshakeState initiator = new HandshakeState(pattern, cipher, Role.INITIATOR, hex(v, "init_prologue"),
                keyPair(v, "init_static"), optional(v, "init_remote_static"), keyPair(v, "init_ephemeral"), null);
        HandshakeState responder = new HandshakeState(pattern, cipher, Role.RESPONDER, hex(v, "resp_prologue"),
                keyPair(v, "resp_static"), optional(v, "resp_remote_static"), keyPair(v, "resp_ephemeral"), null);
        assertThat(initiator.protocolName()).isEqualTo(name);

        JsonNode messages = v.get("messages");
        int handshakeMessages = pattern.messages.size();
        for (int i = 0; i < handshakeMessages; i++) {
            JsonNode m = messages.get(i);
            HandshakeState writer = i % 2 == 0 ? initiator : responder;
            HandshakeState reader = i % 2 == 0 ? responder : initiator;
            assertThat(writer.isMyTurnToWrite()).isTrue();
            byte[] written = writer.writeMessage(hex(m, "payload"));
            assertThat(written).as("%s message %d", name, i).isEqualTo(hex(m, "ciphertext"));
            assertThat(reader.readMessage(written)).as("%s payload %d", name, i).isEqualTo(hex(m, "payload"));
        }
        assertThat(initiator.isComplete()).isTrue();
        assertThat(responder.isComplete()).isTrue();
        assertThat(initiator.handshakeHash()).as("%s handshake hash", name).isEqualTo(hex(v, "handshake_hash"));
        assertThat(responder.handshakeHash()).isEqualTo(hex(v, "handshake_hash"));
        if (v.has("resp_static")) {
            assertThat(initiator.remoteStaticKey()).isEqualTo(keyPair(v, "resp_static").publicKey());
        }
        if (v.has("init_static")) {
            assertThat(responder.remoteStaticKey()).isEqualTo(keyPair(v, "init_static").publicKey());
        }

        TransportKeys iKeys = initiator.split();
        TransportKeys rKeys = responder.split();
        assertThat(iKeys.handshakeHash()).isEqualTo(hex(v, "handshake_hash"));
        CipherState initiatorSend = new CipherState(cipher, iKeys.initiatorToResponder());
        CipherState responderReceive = new CipherState(cipher, rKeys.initiatorToResponder());
        CipherState responderSend = new CipherState(cipher, rKeys.responderToInitiator());
        CipherState initiatorReceive = new CipherState(cipher, iKeys.responderToInitiator());
        for (int i = handshakeMessages; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            CipherState send = i % 2 == 0 ? initiatorSend : responderSend;
            CipherState receive = i % 2 == 0 ? responderReceive : initiatorReceive;
            byte[] ct = send.encryptWithAd(new byte[0], hex(m, "payload"));
            assertThat(ct).as("%s transport %d", name, i).isEqualTo(hex(m, "ciphertext"));
            assertThat(receive.decryptWithAd(new byte[0], ct)).isEqualTo(hex(m, "payload"));
        }
        assertThat(messages.size()).isGreaterThan(handshakeMessages);
    }

    private static X25519KeyPair keyPair(JsonNode v, String field) {
        return v.has(field) ? X25519KeyPair.fromPrivateKey(hex(v, field)) : null;
    }

    private static byte[] optional(JsonNode v, String field) {
        return v.has(field) ? hex(v, field) : null;
    }

    @Test
    void transportNonceStopsBeforeTheReservedValue() throws CryptoException {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        CipherState cs = new CipherState(Aead.CHACHA20_POLY1305, key);
        cs.setNonce(-2L); // 2^64 - 2: the last usable nonce
        assertThat(cs.encryptWithAd(new byte[0], new byte[] {1})).hasSize(17);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cs.encryptWithAd(new byte[0], new byte[] {1}))
                .isInstanceOf(CryptoException.class).hasMessageContaining("exhausted");
    }
}
