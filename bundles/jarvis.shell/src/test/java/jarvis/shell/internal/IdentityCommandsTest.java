package jarvis.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityState;
import jarvis.api.identity.IdentityStatus;
import org.junit.jupiter.api.Test;

class IdentityCommandsTest {

    private static final String FINGERPRINT = "300c9c9603b92a4b39ed3958bf9240114804db4fd373012c0ca47432d63425ae";
    private static final IdentitySummary ALICE = new IdentitySummary("0123456789abcdef0123456789abcdef", "alice",
            FINGERPRINT, Instant.parse("2025-03-14T09:26:53Z"), true);

    @Test
    void unlockedStatusShowsNameUidAndGroupedFingerprint() {
        String text = IdentityCommands.describe(new IdentityStatus(IdentityState.UNLOCKED, Optional.of(ALICE)));
        assertThat(text.lines()).containsExactly(
                "state        unlocked",
                "user name    alice",
                "uid          0123456789abcdef0123456789abcdef",
                "fingerprint  300c 9c96 03b9 2a4b 39ed 3958 bf92 4011 4804 db4f d373 012c 0ca4 7432 d634 25ae",
                "created      2025-03-14T09:26:53Z");
    }

    @Test
    void lockedAndMissingIdentitiesSayWhatToDo() {
        IdentitySummary locked = new IdentitySummary(ALICE.uid(), "alice", FINGERPRINT, ALICE.createdAt(), false);
        assertThat(IdentityCommands.describe(new IdentityStatus(IdentityState.LOCKED, Optional.of(locked))))
                .startsWith("state        locked\n".replace("\n", System.lineSeparator()));
        assertThat(IdentityCommands.describe(new IdentityStatus(IdentityState.LOCKED, Optional.empty())))
                .isEqualTo("identity locked: unlock it with identity:unlock");
        assertThat(IdentityCommands.describe(new IdentityStatus(IdentityState.NONE, Optional.empty())))
                .contains("identity:create NAME").contains("identity:import FILE");
    }

    @Test
    void readLineStopsAtTheLineEndAndDropsCarriageReturn() throws IOException {
        InputStream in = new ByteArrayInputStream("pässwörd\r\nnext line\n".getBytes(StandardCharsets.UTF_8));
        assertThat(IdentityCommands.readLine(in)).containsExactly("pässwörd".toCharArray());
        assertThat(IdentityCommands.readLine(in)).as("the rest stays for the next read")
                .containsExactly("next line".toCharArray());
        assertThat(IdentityCommands.readLine(new ByteArrayInputStream("last".getBytes(StandardCharsets.UTF_8))))
                .containsExactly("last".toCharArray());
    }

    @Test
    void readLineRefusesEndOfInputOverlongLinesAndBadUtf8() {
        assertThatThrownBy(() -> IdentityCommands.readLine(new ByteArrayInputStream(new byte[0])))
                .hasMessageContaining("end of input");
        byte[] huge = new byte[IdentityCommands.MAX_PASSWORD_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> IdentityCommands.readLine(new ByteArrayInputStream(huge)))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> IdentityCommands.readLine(new ByteArrayInputStream(new byte[] {(byte) 0xc3, '\n'})))
                .hasMessage("password is not UTF-8");
    }

    @Test
    void newPasswordMustBeTypedTwiceTheSameAndCopiesAreWiped() throws Exception {
        List<char[]> handedOut = new ArrayList<>();
        Deque<String> answers = new ArrayDeque<>(List.of("one", "two", "same", "same"));
        List<String> prompts = new ArrayList<>();
        IdentityCommands.Prompter prompter = prompt -> {
            prompts.add(prompt);
            char[] answer = answers.removeFirst().toCharArray();
            handedOut.add(answer);
            return answer;
        };

        assertThatThrownBy(() -> IdentityCommands.newPassword(prompter, "New: ", "Again: "))
                .isInstanceOf(IdentityException.class).hasMessage("the passwords do not match");
        assertThat(handedOut.get(0)).containsOnly('\0');
        assertThat(handedOut.get(1)).containsOnly('\0');

        char[] chosen = IdentityCommands.newPassword(prompter, "New: ", "Again: ");
        assertThat(chosen).containsExactly("same".toCharArray());
        assertThat(handedOut.get(3)).as("the repeat is wiped").containsOnly('\0');
        assertThat(prompts).containsExactly("New: ", "Again: ", "New: ", "Again: ");
    }
}
