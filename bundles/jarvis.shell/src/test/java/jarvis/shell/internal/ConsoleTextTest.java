package jarvis.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jarvis.api.messaging.MessagingException;
import org.junit.jupiter.api.Test;

class ConsoleTextTest {

    @Test
    void printableReplacesTerminalControlsAndKeepsOtherText() {
        assertThat(ConsoleText.printable("Grüße, 世界")).isEqualTo("Grüße, 世界");
        assertThat(ConsoleText.printable("a\u001b[2Jb\rc\u0007")).isEqualTo("a\uFFFD[2Jb\uFFFDc\uFFFD");
        assertThat(ConsoleText.printable("evil\u202Etxt.exe\u2066")).isEqualTo("evil\uFFFDtxt.exe\uFFFD");
        assertThat(ConsoleText.printable("a\tb\u009bc")).isEqualTo("a b\uFFFDc");
    }

    @Test
    void messageFallsBackToTheExceptionType() {
        assertThat(ConsoleText.message(new MessagingException("unknown contact"))).isEqualTo("unknown contact");
        assertThat(ConsoleText.message(new MessagingException(null))).isEqualTo("MessagingException");
    }
}
