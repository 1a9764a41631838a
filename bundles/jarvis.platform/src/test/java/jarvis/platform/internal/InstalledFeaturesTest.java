package jarvis.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledFeaturesTest {

    @TempDir
    Path dir;

    @Test
    void defaultsApplyUntilTheUserChooses() throws Exception {
        InstalledFeatures state = new InstalledFeatures(dir.resolve("etc/features"), List.of("a", "b"));
        assertThat(state.load()).containsExactly("a", "b");
        state.save(new LinkedHashSet<>(List.of("b")));
        assertThat(new InstalledFeatures(dir.resolve("etc/features"), List.of("a", "b")).load()).containsExactly("b");
    }

    @Test
    void anEmptyChoiceIsKeptAndNotReplacedByDefaults() throws Exception {
        InstalledFeatures state = new InstalledFeatures(dir.resolve("features"), List.of("a"));
        state.save(Set.of());
        assertThat(state.load()).isEmpty();
        assertThat(Files.readString(dir.resolve("features"))).startsWith("#");
        assertThat(dir.resolve("features.tmp")).doesNotExist();
    }
}
