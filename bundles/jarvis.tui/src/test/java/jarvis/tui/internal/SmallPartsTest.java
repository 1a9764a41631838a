package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI's small pure parts: status levels, strength hints, marks, clipboard sequence, safe text, settings files. */
class SmallPartsTest {

    @Test
    void statusLineHasFourLevels() {
        assertThat(OnlineSummary.of(true, List.of(true, true)).level()).isEqualTo(OnlineSummary.Level.GREY);
        assertThat(OnlineSummary.of(false, List.of(true, true)).level()).isEqualTo(OnlineSummary.Level.GREEN);
        assertThat(OnlineSummary.of(false, List.of(true, false)).level()).isEqualTo(OnlineSummary.Level.AMBER);
        assertThat(OnlineSummary.of(false, List.of(false, false)).level()).isEqualTo(OnlineSummary.Level.RED);
        assertThat(OnlineSummary.of(false, List.of(true, false)).text()).isEqualTo("1/2 online");
        assertThat(OnlineSummary.of(false, List.of()).text()).isEqualTo("no contacts");
    }

    @Test
    void passwordStrengthRewardsLength() {
        assertThat(PasswordStrength.of("abc".toCharArray(), 3)).isEqualTo(PasswordStrength.WEAK);
        assertThat(PasswordStrength.of("aaaaaaaaaaaa".toCharArray(), 12)).isEqualTo(PasswordStrength.WEAK);
        assertThat(PasswordStrength.of("tulip42x".toCharArray(), 8)).isEqualTo(PasswordStrength.FAIR);
        assertThat(PasswordStrength.of("correct horse battery".toCharArray(), 21)).isIn(PasswordStrength.STRONG,
                PasswordStrength.VERY_STRONG);
        assertThat(PasswordStrength.of(new char[0], 0)).isEqualTo(PasswordStrength.EMPTY);
    }

    @Test
    void deliveryMarksOnlyMoveForward() {
        assertThat(DeliveryMark.of("DELIVERED").advance(DeliveryMark.SENT)).isEqualTo(DeliveryMark.DELIVERED);
        assertThat(DeliveryMark.of("SENT").advance(DeliveryMark.READ)).isEqualTo(DeliveryMark.READ);
        assertThat(DeliveryMark.of("nonsense")).isEqualTo(DeliveryMark.QUEUED);
    }

    @Test
    void clipboardWritesOneOsc52Sequence() {
        List<byte[]> written = new ArrayList<>();
        assertThat(new Clipboard(written::add).copy("jarvis2:abc")).isTrue();
        String sequence = new String(written.get(0), StandardCharsets.US_ASCII);
        assertThat(sequence).isEqualTo("\u001b]52;c;" + Base64.getEncoder().encodeToString(
                "jarvis2:abc".getBytes(StandardCharsets.UTF_8)) + "\u0007");
        assertThat(new Clipboard(written::add).copy("x".repeat(Clipboard.MAX_BYTES + 1))).isFalse();
        assertThat(written).hasSize(1);
    }

    @Test
    void peerTextCannotCarryEscapesOrBidiOverrides() {
        assertThat(SafeText.line("bob\u001b]52;c;AAAA\u0007")).doesNotContain("\u001b", "\u0007");
        assertThat(SafeText.line("a\u202Eb")).isEqualTo("a\uFFFDb");
        assertThat(SafeText.line("a\nb")).isEqualTo("a\uFFFDb");
        assertThat(SafeText.message("a\nb")).isEqualTo("a\nb");
        assertThat(SafeText.message("x\uD83D\uDE00y")).isEqualTo("x\uD83D\uDE00y");
        assertThat(SafeText.line("x\uD83Dy\uDE00")).isEqualTo("x\uFFFDy\uFFFD");
    }

    @Test
    void settingsAreWrittenWhereTheDaemonReadsThemKeepingOtherLines(@TempDir Path data) throws Exception {
        DaemonSettings settings = new DaemonSettings(data);
        assertThat(settings.get(DaemonSettings.MESSAGING_PID, DaemonSettings.RECEIPTS_KEY, true)).isTrue();
        Path file = data.resolve("etc/conf/jarvis.messaging.cfg");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "resend.seconds = 7\nread.receipts = true\n");

        settings.set(DaemonSettings.MESSAGING_PID, DaemonSettings.RECEIPTS_KEY, false, "comment");

        assertThat(Files.readAllLines(file)).containsExactly("resend.seconds = 7", "read.receipts = false");
        assertThat(settings.get(DaemonSettings.MESSAGING_PID, DaemonSettings.RECEIPTS_KEY, true)).isFalse();
        settings.set(DaemonSettings.NOTIFY_PID, DaemonSettings.NOTIFY_KEY, false, "notifications");
        assertThat(Files.readString(data.resolve("etc/conf/jarvis.notify.cfg"))).contains("enabled = false");
    }

    @Test
    void groupIdsAreToldFromContactUids() {
        assertThat(Groups.isGroupId("g" + "0123456789abcdef0123456789abcde")).isTrue();
        assertThat(Groups.isGroupId("0123456789abcdef0123456789abcdef")).isFalse();
        assertThat(Groups.isGroupId("g" + "0123456789ABCDEF0123456789abcde")).isFalse();
    }
}
