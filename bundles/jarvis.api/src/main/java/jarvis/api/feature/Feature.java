package jarvis.api.feature;

import java.util.List;
import java.util.Objects;

/**
 * A named set of bundles the distribution carries.
 *
 * @param name      e.g. {@code jarvis-transport-tcp}
 * @param bundles   the bundle files of the feature, by file name
 * @param required  whether the daemon cannot run without it (it cannot be uninstalled)
 * @param installed whether its bundles are installed in the running daemon
 */
public record Feature(String name, List<String> bundles, boolean required, boolean installed) {

    public Feature {
        Objects.requireNonNull(name, "name");
        bundles = List.copyOf(bundles);
    }
}
