package jarvis.notify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jarvis.api.DeliveryState;
import jarvis.api.Message;

/**
 * The notifier with a real notifier program: a script that records the arguments it was started with,
 * one per record, so the test sees exactly what a notify-send would.
 */
class DesktopNotifierTest {

    private static final String BOB = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    private Path script;
    private Path record;
    private DesktopNotifier notifier;

    @BeforeEach
    void writeRecordingNotifier() throws Exception {
        record = dir.resolve("calls");
        script = dir.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\036' \"$a\"; done >> '" + record
                + "'\nprintf '\\035' >> '" + record + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.deactivate();
        }
    }

    @Test
    void aMessageBecomesOneNotificationWithTheTextAsAnArgument() throws Exception {
        notifier = new DesktopNotifier(config(true, script.toString()));
        notifier.identityUnlocked(null);
        String text = "$(touch " + dir.resolve("pwned") + "); `id` \"quoted\" 'single' & rm -rf ~";

        notifier.messageReceived(message(text, false));

        List<List<String>> calls = awaitCalls(1);
        assertThat(calls.get(0)).containsExactly("--app-name=Jarvis", "Message from " + BOB.substring(0, 8), text);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void nothingIsShownWhileLockedNorForOurOwnMessages() throws Exception {
        notifier = new DesktopNotifier(config(true, script.toString()));
        notifier.messageReceived(message("sent while locked", false));
        notifier.identityUnlocked(null);
        notifier.messageReceived(message("our own", true));
        notifier.identityLocked(null);
        notifier.messageReceived(message("locked again", false));
        notifier.identityUnlocked(null);
        notifier.messageReceived(message("shown", false));

        // One thread runs the notifier in order: had an earlier one been shown, it would come first.
        List<List<String>> calls = awaitCalls(1);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).last().isEqualTo("shown");
    }

    @Test
    void theSwitchTurnsThemOffAndOnWhileRunning() throws Exception {
        notifier = new DesktopNotifier(config(false, script.toString()));
        notifier.identityUnlocked(null);
        notifier.messageReceived(message("while off", false));
        notifier.modified(config(true, script.toString()));
        notifier.messageReceived(message("while on", false));

        List<List<String>> calls = awaitCalls(1);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).last().isEqualTo("while on");
    }

    @Test
    void theNotifierIsFoundOnThePathOrNotAtAll() {
        String path = "/nonexistent" + java.io.File.pathSeparator + dir;
        assertThat(DesktopNotifier.find("notify-send", path)).contains(script);
        assertThat(DesktopNotifier.find("notify-send", "/nonexistent")).isEmpty();
        assertThat(DesktopNotifier.find(script.toString(), null)).contains(script);
        assertThat(DesktopNotifier.find("../notify-send", path)).isEmpty();
    }

    @Test
    void longAndHostileTextIsCutAndCleaned() {
        Notification n = Notification.of("mal\u202Elory", true, "x".repeat(150) + "\u001b[2J");
        assertThat(n.title()).isEqualTo("Group message from mal\uFFFDlory");
        assertThat(n.body()).hasSize(Notification.BODY_CHARS + 1).endsWith("…").doesNotContain("\u001b");
        assertThat(Notification.of("bob", false, "line one\nline two").body()).isEqualTo("line one line two");
    }

    private List<List<String>> awaitCalls(int count) throws Exception {
        Awaitility.await("the notifier ran " + count + " time(s)").atMost(Duration.ofSeconds(20))
                .until(() -> calls().size() >= count);
        return calls();
    }

    private List<List<String>> calls() throws Exception {
        if (!Files.exists(record)) {
            return List.of();
        }
        String all = Files.readString(record, StandardCharsets.UTF_8);
        return Arrays.stream(all.split("\u001d")).filter(s -> !s.isEmpty())
                .map(call -> Arrays.asList(call.split("\u001e", -1)).subList(0, call.split("\u001e", -1).length - 1))
                .toList();
    }

    private static Message message(String text, boolean outgoing) {
        return new Message("m" + System.nanoTime(), BOB, BOB, text, Instant.now(), outgoing, DeliveryState.DELIVERED);
    }

    private static DesktopNotifier.Config config(boolean enabled, String command) {
        return new DesktopNotifier.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DesktopNotifier.Config.class;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String command() {
                return command;
            }
        };
    }
}
