package jarvis.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jarvis.api.feature.Feature;
import org.junit.jupiter.api.Test;

class FeatureCommandsTest {

    @Test
    void tableShowsStateAndKindPerFeature() {
        String table = FeatureCommands.table(List.of(
                new Feature("jarvis-core", List.of("a.jar", "b.jar"), true, true),
                new Feature("jarvis-transport-tcp", List.of("n.jar"), false, false)));
        assertThat(table.lines()).containsExactly(
                "NAME                  STATE      KIND      BUNDLES",
                "jarvis-core           installed  required  2",
                "jarvis-transport-tcp  available  optional  1");
    }
}
