package jarvis.session.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import jarvis.api.Endpoint;
import org.junit.jupiter.api.Test;

/** The small pieces: backoff, tie-break rule, handshake payload codec, content-type routing. */
class UnitsTest {

    @Test
    void backoffDoublesWithJitterUpToTheCapAndResets() {
        ReconnectSchedule schedule = new ReconnectSchedule(Duration.ofSeconds(1), Duration.ofSeconds(300));
        Random random = new Random(7);
        long[] base = {1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000};
        for (long b : base) {
            long delay = schedule.next(random).toMillis();
            assertThat(delay).isBetween(Math.round(b * 0.8), Math.min(300_000, Math.round(b * 1.2)));
        }
        schedule.reset();
        assertThat(schedule.next(random).toMillis()).isBetween(800L, 1200L);
    }

    @Test
    void duplicateSessionRuleIsTheSameSeenFromBothSides() {
        byte[] small = new byte[32];
        byte[] large = new byte[32];
        large[0] = (byte) 0x80;
        // Same initiator: the newer session wins.
        assertThat(DuplicateSessionRule.newcomerWins(small, small)).isTrue();
        // Different initiators: the one initiated by the smaller key wins, whichever arrived first.
        assertThat(DuplicateSessionRule.newcomerWins(large, small)).isTrue();
        assertThat(DuplicateSessionRule.newcomerWins(small, large)).isFalse();
    }

    @Test
    void handshakePayloadRoundTripsAndRefusesMalformedInput() throws Exception {
        HandshakePayload payload = new HandshakePayload(new byte[] {1, 2}, "0123456789abcdef0123456789abcdef",
                "Zoë", List.of(Endpoint.tcp("127.0.0.1", 5000), Endpoint.parse("tcp://[::1]:6000")));
        HandshakePayload decoded = HandshakePayload.decode(payload.encode());
        assertThat(decoded.versions()).containsExactly(1, 2);
        assertThat(decoded.uid()).isEqualTo(payload.uid());
        assertThat(decoded.username()).isEqualTo("Zoë");
        assertThat(decoded.endpoints()).isEqualTo(payload.endpoints());
        assertThat(HandshakePayload.choose(new byte[] {1, 2}, WireFormat.SUPPORTED_VERSIONS)).isEqualTo(1);
        assertThat(HandshakePayload.choose(new byte[] {9}, WireFormat.SUPPORTED_VERSIONS)).isEqualTo(-1);

        byte[] encoded = payload.encode();
        assertThatThrownBy(() -> HandshakePayload.decode(java.util.Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> HandshakePayload.decode(new byte[] {0})).isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> HandshakePayload.decode(new byte[] {1, 1, 3, 'x', 'y', 'z', 0, 0}))
                .isInstanceOf(ProtocolViolation.class);
        assertThatThrownBy(() -> HandshakePayload.decode(new byte[HandshakePayload.MAX_LENGTH + 1]))
                .isInstanceOf(ProtocolViolation.class);
    }

    @Test
    void contentTypesPropertyAcceptsTheUsualShapes() {
        assertThat(PayloadRouter.contentTypes(null)).isNull();
        assertThat(PayloadRouter.contentTypes(17)).containsExactly(17);
        assertThat(PayloadRouter.contentTypes(new Integer[] {16, 17})).containsExactlyInAnyOrder(16, 17);
        assertThat(PayloadRouter.contentTypes(new int[] {18})).containsExactly(18);
        assertThat(PayloadRouter.contentTypes("16, 20")).containsExactlyInAnyOrder(16, 20);
    }
}
