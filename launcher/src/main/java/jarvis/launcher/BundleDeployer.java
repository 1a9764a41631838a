package jarvis.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Installs the distribution's bundles into a fresh framework, each folder at its start level:
 * logging first, then the runtime and core, the console last. Bundles are installed by
 * reference, so the framework reads them in place.
 */
final class BundleDeployer {

    private static final Logger LOG = Logger.getLogger(BundleDeployer.class.getName());

    private final BundleContext context;
    private final List<Bundle> installed = new ArrayList<>();

    BundleDeployer(BundleContext context) {
        this.context = context;
    }

    /** Installs every jar directly in {@code dir}. */
    void installFolder(Path dir, int startLevel) throws IOException {
        for (Path jar : jars(dir)) {
            install(jar, startLevel);
        }
    }

    /**
     * Installs the feature folders of {@code root}: those named in {@code order} first, in that
     * order, then any others alphabetically.
     */
    void installFeatures(Path root, List<String> order, int startLevel) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        Set<Path> dirs = new LinkedHashSet<>();
        for (String name : order) {
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                dirs.add(dir);
            } else {
                LOG.warning("required feature " + name + " is missing from " + root);
            }
        }
        try (Stream<Path> all = Files.list(root)) {
            all.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        for (Path dir : dirs) {
            installFolder(dir, startLevel);
        }
    }

    private void install(Path jar, int startLevel) {
        try {
            Bundle bundle = context.installBundle("reference:" + jar.toUri());
            bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
            installed.add(bundle);
        } catch (BundleException | RuntimeException e) {
            // One bad jar must not keep the rest of the daemon from starting; it is reported.
            LOG.log(Level.SEVERE, "cannot install " + jar + ": " + e.getMessage(), e);
        }
    }

    /** Marks every installed bundle (fragments excepted) to start when its start level is reached. */
    void startAll() {
        for (Bundle bundle : installed) {
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot start " + bundle.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted(Comparator.comparing(Path::getFileName)).toList();
        }
    }
}
