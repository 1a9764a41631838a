package jarvis.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void optionWinsOverEnvironment() {
        Path p = DataDirectory.locate(Optional.of(Paths.get("/a/./b")), Map.of("JARVIS_HOME", "/j"), "/home/u");
        assertThat(p).isEqualTo(Paths.get("/a/b"));
    }

    @Test
    void environmentOrderIsJarvisHomeThenXdgThenHome() {
        assertThat(DataDirectory.locate(Optional.empty(), Map.of("JARVIS_HOME", "/j", "XDG_DATA_HOME", "/x"), "/h"))
                .isEqualTo(Paths.get("/j"));
        assertThat(DataDirectory.locate(Optional.empty(), Map.of("XDG_DATA_HOME", "/x"), "/h"))
                .isEqualTo(Paths.get("/x/jarvis"));
        assertThat(DataDirectory.locate(Optional.empty(), Map.of("JARVIS_HOME", " "), "/h"))
                .isEqualTo(Paths.get("/h/.jarvis"));
    }

    @Test
    void prepareCreatesAPrivateDirectoryWithItsParts() throws Exception {
        Path root = tmp.resolve("deep/data");
        DataDirectory dir = DataDirectory.prepare(root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(dir.logs()).isDirectory();
        assertThat(dir.run()).isDirectory();
        assertThat(dir.etc()).isDirectory();
        assertThat(dir.cache()).isEqualTo(root.resolve("cache"));
    }

    @Test
    void aFileInTheWayIsReported() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> DataDirectory.prepare(file)).hasMessageContaining("is not a directory");
    }
}
