package jarvis.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void noArgumentsMeansForegroundDaemonWithDefaults() throws Exception {
        LaunchOptions o = LaunchOptions.parse();
        assertThat(o.dataDir()).isEmpty();
        assertThat(o.console()).isFalse();
        assertThat(o.logToConsole()).isFalse();
    }

    @Test
    void everyOptionIsRead() throws Exception {
        LaunchOptions o = LaunchOptions.parse("--console", "--data-dir", "/tmp/x", "--log-console");
        assertThat(o.dataDir()).contains(Paths.get("/tmp/x"));
        assertThat(o.console()).isTrue();
        assertThat(o.logToConsole()).isTrue();
        assertThat(LaunchOptions.parse("--data-dir=/y").dataDir()).contains(Paths.get("/y"));
        assertThat(LaunchOptions.parse("-h").help()).isTrue();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> LaunchOptions.parse("--data-dir")).hasMessage("--data-dir needs a directory");
        assertThatThrownBy(() -> LaunchOptions.parse("--data-dir", " ")).hasMessage("--data-dir needs a directory");
        assertThatThrownBy(() -> LaunchOptions.parse("--consol")).hasMessage("unknown option: --consol");
        assertThatThrownBy(() -> LaunchOptions.parse("--data-dir=")).hasMessage("unknown option: --data-dir=");
    }
}
