package jarvis.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkConfigTest {

    @TempDir
    Path tmp;

    private Map<String, String> load(String text) throws Exception {
        Path file = Files.writeString(tmp.resolve("config.properties"), text);
        return FrameworkConfig.load(file, Map.of("jarvis.data", "/data", "jarvis.install", "/opt/j"));
    }

    @Test
    void launcherValuesAndOtherPropertiesAreSubstituted() throws Exception {
        Map<String, String> p = load("a = ${jarvis.data}/etc\nb = ${a}/x,${jarvis.install}/plugins\nc = plain\n");
        assertThat(p).containsEntry("a", "/data/etc").containsEntry("b", "/data/etc/x,/opt/j/plugins")
                .containsEntry("c", "plain").containsEntry("jarvis.data", "/data");
    }

    @Test
    void undefinedUnclosedAndCyclicReferencesAreErrors() {
        assertThatThrownBy(() -> load("a = ${nope}\n")).hasMessageContaining("undefined ${nope}");
        assertThatThrownBy(() -> load("a = ${jarvis.data\n")).hasMessageContaining("unclosed ${");
        assertThatThrownBy(() -> load("a = ${b}\nb = ${a}\n")).hasMessageContaining("cycle");
    }
}
