package jarvis.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The optional features the user chose, kept in the data directory so that the choice survives a
 * restart (the framework cache itself is rebuilt at every start). One feature name per line.
 */
final class InstalledFeatures {

    private final Path file;
    private final Set<String> defaults;

    InstalledFeatures(Path file, Collection<String> defaults) {
        this.file = file;
        this.defaults = new LinkedHashSet<>(defaults);
    }

    /** The chosen set; before the user ever chose, the distribution's defaults. */
    Set<String> load() throws IOException {
        if (!Files.exists(file)) {
            return new LinkedHashSet<>(defaults);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String name = line.trim();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return names;
    }

    void save(Set<String> names) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# Optional features installed in this daemon; managed by feature:install / feature:uninstall");
        lines.addAll(names);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
