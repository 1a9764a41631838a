package jarvis.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLockTest {

    @TempDir
    Path run;

    @Test
    void secondHolderIsRefusedWithThePidOfTheFirst() throws Exception {
        try (DaemonLock first = DaemonLock.acquire(run)) {
            String pid = Long.toString(ProcessHandle.current().pid());
            assertThat(Files.readString(run.resolve("jarvisd.pid")).trim()).isEqualTo(pid);
            // Within one JVM the file lock overlaps, which is what a second process sees as "held".
            assertThatThrownBy(() -> DaemonLock.acquire(run)).hasMessageContaining("another jarvisd (pid " + pid + ")");
        }
        assertThat(run.resolve("jarvisd.pid")).doesNotExist();
        try (DaemonLock again = DaemonLock.acquire(run)) {
            assertThat(run.resolve("jarvisd.pid")).exists();
        }
    }

    @Test
    void aStalePidFileDoesNotBlockAStart() throws Exception {
        Files.writeString(run.resolve("jarvisd.pid"), "999999\n");
        try (DaemonLock lock = DaemonLock.acquire(run)) {
            assertThat(Files.readString(run.resolve("jarvisd.pid")).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
