package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class RelativeTimeTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private static String ago(Duration d) {
        return RelativeTime.describe(NOW.minus(d), NOW, ZONE);
    }

    @Test
    void underAMinuteIsJustNow() {
        assertThat(ago(Duration.ZERO)).isEqualTo("just now");
        assertThat(ago(Duration.ofSeconds(59))).isEqualTo("just now");
    }

    @Test
    void minutesHoursAndDaysAreCountedWithTheRightPlural() {
        assertThat(ago(Duration.ofSeconds(60))).isEqualTo("1 minute ago");
        assertThat(ago(Duration.ofMinutes(5))).isEqualTo("5 minutes ago");
        assertThat(ago(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59 minutes ago");
        assertThat(ago(Duration.ofHours(1))).isEqualTo("1 hour ago");
        assertThat(ago(Duration.ofHours(23))).isEqualTo("23 hours ago");
        assertThat(ago(Duration.ofDays(1))).isEqualTo("1 day ago");
        assertThat(ago(Duration.ofDays(6).plusHours(23))).isEqualTo("6 days ago");
    }

    @Test
    void aWeekAndOlderIsTheDateInTheLocalZone() {
        assertThat(ago(Duration.ofDays(7))).isEqualTo("2026-11-20");
        // 23:30 UTC on the 1st is already the 2nd in Berlin.
        assertThat(RelativeTime.describe(Instant.parse("2026-11-01T23:30:00Z"), NOW, ZONE)).isEqualTo("2026-11-02");
    }

    @Test
    void aTimeAheadOfOurClockIsJustNow() {
        assertThat(RelativeTime.describe(NOW.plusSeconds(90), NOW, ZONE)).isEqualTo("just now");
    }
}
