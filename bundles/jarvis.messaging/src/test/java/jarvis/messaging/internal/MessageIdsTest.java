package jarvis.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsCarryTheTimeAndAreHex() {
        Instant at = Instant.parse("2030-01-02T03:04:05.678Z");
        MessageIds ids = new MessageIds(Clock.fixed(at, ZoneOffset.UTC));
        String id = ids.next();
        assertThat(MessageIds.isId(id)).isTrue();
        assertThat(MessageIds.timestamp(id)).isEqualTo(at);
        assertThat(MessageIds.isId(id.toUpperCase())).isFalse();
        assertThat(MessageIds.isId(id.substring(1))).isFalse();
    }

    @Test
    void idsStrictlyIncreaseWhenTheClockStandsStillOrStepsBack() {
        MutableClock clock = new MutableClock();
        MessageIds ids = new MessageIds(clock);
        Set<String> seen = new HashSet<>();
        String last = "";
        for (int i = 0; i < 10_000; i++) {
            if (i == 5_000) {
                clock.advance(java.time.Duration.ofMinutes(-5));
            }
            String id = ids.next();
            assertThat(id).isGreaterThan(last);
            assertThat(seen.add(id)).isTrue();
            last = id;
        }
        Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        MessageIds still = new MessageIds(frozen);
        String a = still.next();
        String b = still.next();
        assertThat(b).isGreaterThan(a);
        assertThat(MessageIds.timestamp(b)).isEqualTo(MessageIds.timestamp(a));
    }
}
