package jarvis.legacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.groups.Group;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with Jarvis 1.x: a peer written from the 1.x specification ({@link SpecPeer1x}, plain sockets)
 * talks to the daemon's real components ({@link LegacyDaemon}) over 127.0.0.1. Each test prints the transcript of
 * the frames exchanged (types and lengths), both sides interleaved.
 */
@Timeout(60)
class LegacyInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> transcript = SpecPeer1x.newTranscript();
    private LegacyDaemon daemon;
    private SpecPeer1x peer;

    /** The daemon's own view of the frames, interleaved with the peer's. */
    private final Settings.Transcript daemonSide = new Settings.Transcript() {
        @Override
        public void frame(String contactUid, boolean outgoing, int type, int payloadLength) {
            transcript.add("daemon " + (outgoing ? "-> " : "<- ") + FrameType.name(type) + " " + payloadLength
                    + " bytes");
        }

        @Override
        public void dropped(String contactUid, String why) {
            transcript.add("daemon dropped: " + why);
        }

        @Override
        public void refused(String who, String why) {
            transcript.add("daemon refused: " + why);
        }
    };

    @BeforeEach
    void start() throws Exception {
        daemon = new LegacyDaemon(dir.resolve("daemon"), false, daemonSide);
        peer = SpecPeer1x.generate("py1x", transcript);
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        peer.close();
        daemon.close();
        System.out.println("---- 1.x transcript: " + test.getDisplayName());
        transcript.forEach(line -> System.out.println("  " + line));
    }

    @Test
    void directMessagesFlowBothWaysWhenThePeerDials() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        Message queued = daemon.messenger.send(peer.uid, "waiting for the 1.x peer");
        peer.dial(daemon.port());

        // The inbound link proves itself with a message that decrypts; content is a decoy and must be ignored.
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "hello from 1.x", "NOT THE TEXT"));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).equals(List.of("hello from 1.x")));
        Message in = daemon.received.get(0);
        assertThat(in.conversationId()).isEqualTo(peer.uid);
        assertThat(daemon.messenger.unreadCount(peer.uid)).isEqualTo(1);

        SpecPeer1x.Received frame = peer.readFrame();
        assertThat(frame.type()).isEqualTo(10);
        JsonNode json = frame.json();
        assertThat(json.path("content").asText()).isEmpty();
        assertThat(json.path("message_id").asText()).isEqualTo(queued.id());
        assertThat(peer.decrypt(json)).isEqualTo("waiting for the 1.x peer");

        Message reply = daemon.messenger.send(peer.uid, "caf\u00e9 \ud83d\ude00 back to you");
        SpecPeer1x.Received second = peer.readFrame();
        assertThat(peer.decrypt(second.json())).isEqualTo("caf\u00e9 \ud83d\ude00 back to you");
        await().atMost(WAIT).until(() -> daemon.stateOf(reply.id()) == DeliveryState.SENT
                && daemon.stateOf(queued.id()) == DeliveryState.SENT && daemon.outboxRows() == 0);
        // No acknowledgement exists in 1.x: written is as far as a message gets, and nothing is resent.
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "marker", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).size() == 2);
        assertThat(daemon.stateOf(queued.id())).isEqualTo(DeliveryState.SENT);
        assertThat(daemon.states).noneMatch(s -> s.endsWith("DELIVERED"));
    }

    @Test
    void daemonDialsThePeerWithAWaitingMessageAndChecksItsFingerprint() throws Exception {
        int port = peer.listen();
        daemon.knowLegacy(peer, port, true);
        Message out = daemon.messenger.send(peer.uid, "dialed over 1.x");
        JsonNode hello = peer.accept(daemon.identity.keys().publicKey());
        assertThat(hello.path("public_key").asText()).isEqualTo(daemon.identity.fingerprint());
        assertThat(hello.path("uid").asText()).isEqualTo(daemon.uid());
        assertThat(hello.path("protocol_version").asInt()).isEqualTo(1);

        SpecPeer1x.Received frame = peer.readFrame();
        assertThat(frame.type()).isEqualTo(10);
        assertThat(peer.decrypt(frame.json())).isEqualTo("dialed over 1.x");
        await().atMost(WAIT).until(() -> daemon.stateOf(out.id()) == DeliveryState.SENT);

        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "answer on the same link", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).equals(List.of("answer on the same link")));
    }

    @Test
    void groupMessagesFlowBothWaysAndTheAuthorIsTheLinkNotThePayload() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        Group group = daemon.groups.create("old friends", List.of(peer.uid));
        peer.dial(daemon.port());
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "hi, it is me", ""));
        await().atMost(WAIT).until(() -> daemon.legacy.reaches(peer.uid));

        Message toGroup = daemon.messenger.sendToGroup(group.id(), "to the group");
        SpecPeer1x.Received frame = peer.readFrame();
        assertThat(frame.type()).isEqualTo(24);
        JsonNode json = frame.json();
        assertThat(json.path("group_id").asText()).isEqualTo(group.id());
        assertThat(json.path("sender_uid").asText()).isEqualTo(daemon.uid());
        assertThat(json.path("message_id").asText()).isEqualTo(toGroup.id());
        assertThat(json.path("content").asText()).isEmpty();
        assertThat(peer.decrypt(json)).isEqualTo("to the group");
        // Every copy is done once the only member's copy is written.
        await().atMost(WAIT).until(() -> daemon.stateOf(toGroup.id()) == DeliveryState.DELIVERED);

        // sender_uid claims the daemon itself: ignored, the author is the contact whose key decrypted it.
        peer.sendFrame(24, peer.groupMessage(group.id(), SpecPeer1x.newMessageId(), daemon.uid(), "from the group"));
        peer.sendFrame(24, peer.groupMessage("g" + "0".repeat(31), SpecPeer1x.newMessageId(), peer.uid, "unknown"));
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "marker", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).contains("marker"));
        Message inGroup = daemon.received.stream().filter(m -> m.text().equals("from the group")).findFirst()
                .orElseThrow();
        assertThat(inGroup.conversationId()).isEqualTo(group.id());
        assertThat(inGroup.senderUid()).isEqualTo(peer.uid);
        assertThat(daemon.textsFrom(peer.uid)).containsExactly("hi, it is me", "from the group", "marker");
        assertThat(daemon.messenger.unreadCount(group.id())).isEqualTo(1);
    }

    @Test
    void pingIsAnsweredAndUnknownTypesAreSkipped() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        peer.dial(daemon.port());
        peer.sendFrame(99, "{\"future\": true}");
        peer.sendFrame(11, "{\"message_id\": \"x\"}");
        peer.sendFrame(3, "{}");
        SpecPeer1x.Received pong = peer.readFrame();
        assertThat(pong.type()).isEqualTo(4);
        assertThat(new String(pong.payload(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("{}");
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "still talking", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).equals(List.of("still talking")));
    }

    @Test
    void replayedFramesAreDroppedEvenOnANewConnection() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        peer.dial(daemon.port());
        String id = SpecPeer1x.newMessageId();
        byte[] original = peer.frameBytes(10, peer.textMessage(id, "only once", ""));
        peer.sendRaw(original, 10);
        peer.sendRaw(original, 10);
        // Same id, new ciphertext; and new id, same ciphertext: both replays.
        peer.sendFrame(10, peer.textMessage(id, "only once", ""));
        String body = new String(original, 7, original.length - 7, java.nio.charset.StandardCharsets.UTF_8);
        peer.sendFrame(10, body.replace(id, SpecPeer1x.newMessageId()));
        peer.disconnect();
        await().atMost(WAIT).until(() -> !daemon.legacy.linked(peer.uid));

        peer.dial(daemon.port());
        peer.sendRaw(original, 10);
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "marker", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).contains("marker"));
        assertThat(daemon.textsFrom(peer.uid)).containsExactly("only once", "marker");
        assertThat(transcript.stream().filter(l -> l.contains("replayed")).count()).isEqualTo(4);
    }

    @Test
    void withdrawingThePermissionClosesTheLinkAndRefusesTheNextDial() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        peer.dial(daemon.port());
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "hello", ""));
        await().atMost(WAIT).until(() -> daemon.legacy.reaches(peer.uid));
        daemon.contacts.setLegacy(peer.uid, false);
        assertThat(peer.closedByDaemon()).isTrue();
        assertThat(daemon.legacy.reaches(peer.uid)).isFalse();
        assertThatThrownBy(() -> peer.dialKeyExchange(daemon.port())).isInstanceOf(EOFException.class);
    }

    @Test
    void aHandshakeWithAnotherFingerprintIsRefused() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        peer.dialKeyExchange(daemon.port());
        assertThatThrownBy(() -> peer.handshake("ab".repeat(32))).isInstanceOf(EOFException.class);
        assertThat(daemon.legacy.linked(peer.uid)).isFalse();
        assertThat(transcript).anyMatch(l -> l.contains("refused: the handshake names another fingerprint"));
    }

    @Test
    void aResponderWithAnotherKeyIsRefusedByTheDialer() throws Exception {
        SpecPeer1x impostor = new SpecPeer1x(peer.uid, peer.username,
                jarvis.crypto.X25519KeyPair.generate(new java.security.SecureRandom()), transcript);
        int port = impostor.listen();
        daemon.knowLegacy(peer, port, true);
        Message out = daemon.messenger.send(peer.uid, "not for the impostor");
        try {
            assertThatThrownBy(() -> impostor.accept(daemon.identity.keys().publicKey()))
                    .isInstanceOf(EOFException.class);
        } finally {
            impostor.close();
        }
        await().atMost(WAIT).until(() -> transcript.stream().anyMatch(l -> l.contains("fingerprint mismatch")));
        assertThat(daemon.stateOf(out.id())).isEqualTo(DeliveryState.QUEUED);
    }

    @Test
    void aPeerKnowingOnlyAContactsPublicKeyGetsNothingAndIsNotBelieved() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        Message out = daemon.messenger.send(peer.uid, "for the real peer only");
        SpecPeer1x impostor = new SpecPeer1x(peer.uid, peer.username,
                jarvis.crypto.X25519KeyPair.generate(new java.security.SecureRandom()), transcript);
        // 1.x cannot tell: the impostor sends the contact's public key and its fingerprint and is answered...
        impostor.dialKeyExchangeAs(daemon.port(), peer.keys.publicKey());
        JsonNode answer = impostor.handshake(SpecPeer1x.fingerprint(peer.keys.publicKey()));
        assertThat(answer.path("accepted").asBoolean()).isTrue();
        // ...but its message does not decrypt (it lacks the private key), so the link is never trusted.
        impostor.sendFrame(10, impostor.textMessage(SpecPeer1x.newMessageId(), "believe me", ""));
        await().atMost(WAIT).until(() -> transcript.stream().anyMatch(l -> l.contains("dropped: TEXT_MESSAGE")));
        assertThat(daemon.legacy.linked(peer.uid)).isTrue();
        assertThat(daemon.legacy.reaches(peer.uid)).isFalse();
        assertThat(daemon.received).isEmpty();
        assertThat(daemon.stateOf(out.id())).isEqualTo(DeliveryState.QUEUED);
        impostor.close();
    }

    @Test
    void aContactNotAllowedToUse1xAndAnUnknownKeyAreClosedBeforeOurKeyIsSent() throws Exception {
        daemon.knowLegacy(peer, 0, false);
        assertThatThrownBy(() -> peer.dialKeyExchange(daemon.port())).isInstanceOf(EOFException.class);
        SpecPeer1x stranger = SpecPeer1x.generate("stranger", transcript);
        assertThatThrownBy(() -> stranger.dialKeyExchange(daemon.port())).isInstanceOf(IOException.class);
        stranger.close();
        assertThat(transcript.stream().filter(l -> l.contains("not a contact allowed to use 1.x")).count())
                .isEqualTo(2);
    }

    @Test
    void oversizeLengthsAreRefusedBeforeAndAfterTheHandshake() throws Exception {
        daemon.knowLegacy(peer, 0, true);
        // Before the handshake: a key exchange announcing 2 GiB.
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", daemon.port())) {
            raw.setSoTimeout(SpecPeer1x.TIMEOUT_MILLIS);
            raw.getOutputStream().write(ByteBuffer.allocate(4).putInt(0x7fffffff).array());
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
        }
        // After it: a frame header announcing almost 4 GiB, then nothing; the daemon closes at once.
        peer.dial(daemon.port());
        peer.sendRaw(new byte[] {1, 0, 10, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0}, 10);
        assertThat(peer.closedByDaemon()).isTrue();
        assertThat(transcript).anyMatch(l -> l.contains("4294967280 bytes, more than the 1048576 accepted"));
        // And it still serves the next connection.
        peer.dial(daemon.port());
        peer.sendFrame(10, peer.textMessage(SpecPeer1x.newMessageId(), "after the flood", ""));
        await().atMost(WAIT).until(() -> daemon.textsFrom(peer.uid).equals(List.of("after the flood")));
    }
}
