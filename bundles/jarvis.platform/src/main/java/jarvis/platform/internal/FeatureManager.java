package jarvis.platform.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Installs and uninstalls features from the distribution's folders while the daemon runs, and
 * restores the user's chosen optional features at start-up.
 */
@Component(service = FeatureService.class, immediate = true)
public final class FeatureManager implements FeatureService {

    /** Framework property: the distribution's root folder (holds {@code bundle/} and {@code features/}). */
    static final String INSTALL_DIR = "jarvis.install";
    /** Framework property: the daemon's data directory. */
    static final String DATA_DIR = "jarvis.data";
    /** Framework property: optional features installed until the user chooses otherwise. */
    static final String DEFAULT_FEATURES = "jarvis.features.default";
    /** Framework property: start level of optional feature bundles. */
    static final String FEATURE_START_LEVEL = "jarvis.features.startlevel";

    private static final System.Logger LOG = System.getLogger(FeatureManager.class.getName());
    private static final long REFRESH_TIMEOUT_SECONDS = 60;

    private final BundleContext context;
    private final Path requiredDir;
    private final Path optionalDir;
    private final InstalledFeatures chosen;
    private final int startLevel;
    private final Object lock = new Object();
    private final BundleFileCache jars = new BundleFileCache();

    @Activate
    public FeatureManager(BundleContext context) throws IOException {
        this.context = context;
        Path install = Paths.get(requireProperty(context, INSTALL_DIR));
        Path data = Paths.get(requireProperty(context, DATA_DIR));
        this.requiredDir = install.resolve("bundle");
        this.optionalDir = install.resolve("features");
        String defaults = Optional.ofNullable(context.getProperty(DEFAULT_FEATURES)).orElse("");
        this.chosen = new InstalledFeatures(data.resolve("etc").resolve("features"),
                Arrays.stream(defaults.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        this.startLevel = Integer.parseInt(Optional.ofNullable(context.getProperty(FEATURE_START_LEVEL)).orElse("3"));
        restoreChosenFeatures();
    }

    private static String requireProperty(BundleContext context, String name) {
        String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("framework property " + name + " is not set; the launcher sets it");
        }
        return value;
    }

    private void restoreChosenFeatures() throws IOException {
        for (String name : chosen.load()) {
            try {
                install(name);
            } catch (FeatureException e) {
                // A feature that went away with an upgrade must not stop the daemon from starting.
                LOG.log(System.Logger.Level.WARNING, "could not restore feature " + name + ": " + e.getMessage());
            }
        }
    }

    @Override
    public List<Feature> features() {
        synchronized (lock) {
            try {
                return catalog().stream().map(this::describe).toList();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot read the distribution's features", e);
                return List.of();
            }
        }
    }

    @Override
    public Feature install(String name) throws FeatureException {
        synchronized (lock) {
            FeatureFolder feature = find(name);
            List<Bundle> fresh = new ArrayList<>();
            try {
                for (BundleFile file : feature.bundles()) {
                    if (installedBundle(file).isEmpty()) {
                        Bundle bundle = context.installBundle(file.location());
                        bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
                        fresh.add(bundle);
                    }
                }
                for (Bundle bundle : fresh) {
                    if (!isFragment(bundle)) {
                        // Below the active start level this starts at once and reports resolution
                        // errors here; during start-up it marks the bundle to start at its level.
                        bundle.start();
                    }
                }
            } catch (BundleException | RuntimeException e) {
                rollBack(fresh);
                throw new FeatureException("feature " + name + " could not be installed: " + e.getMessage(), e);
            }
            if (!feature.required()) {
                remember(name, true);
            }
            if (!fresh.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "installed feature " + name + " (" + fresh.size() + " bundles)");
            }
            return describe(feature);
        }
    }

    @Override
    public Feature uninstall(String name) throws FeatureException {
        synchronized (lock) {
            FeatureFolder feature = find(name);
            if (feature.required()) {
                throw new FeatureException("feature " + name + " is required by the daemon and cannot be uninstalled");
            }
            Set<BundleFile> stillNeeded = new HashSet<>();
            try {
                for (FeatureFolder other : catalog()) {
                    if (!other.name().equals(name) && isInstalled(other)) {
                        stillNeeded.addAll(other.bundles());
                    }
                }
            } catch (IOException e) {
                throw new FeatureException("cannot read the distribution's features: " + e.getMessage(), e);
            }
            List<Bundle> removed = new ArrayList<>();
            for (BundleFile file : feature.bundles()) {
                boolean shared = stillNeeded.stream().anyMatch(f -> f.symbolicName().equals(file.symbolicName())
                        && f.version().equals(file.version()));
                Optional<Bundle> bundle = installedBundle(file);
                if (!shared && bundle.isPresent()) {
                    try {
                        bundle.get().uninstall();
                        removed.add(bundle.get());
                    } catch (BundleException e) {
                        throw new FeatureException("feature " + name + ": bundle " + file.symbolicName()
                                + " could not be uninstalled: " + e.getMessage(), e);
                    }
                }
            }
            refresh(removed);
            remember(name, false);
            LOG.log(System.Logger.Level.INFO, "uninstalled feature " + name + " (" + removed.size() + " bundles)");
            return describe(feature);
        }
    }

    private void remember(String name, boolean installed) throws FeatureException {
        try {
            Set<String> names = new LinkedHashSet<>(chosen.load());
            boolean changed = installed ? names.add(name) : names.remove(name);
            if (changed) {
                chosen.save(names);
            }
        } catch (IOException e) {
            throw new FeatureException("feature " + name + " changed, but the choice could not be saved: "
                    + e.getMessage(), e);
        }
    }

    /** Lets the framework drop the wirings of uninstalled bundles, waiting until it has. */
    private void refresh(List<Bundle> removed) throws FeatureException {
        if (removed.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        wiring.refreshBundles(removed, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new FeatureException("the framework did not finish refreshing within "
                        + REFRESH_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeatureException("interrupted while the framework refreshed bundles", e);
        }
    }

    private void rollBack(List<Bundle> fresh) {
        for (Bundle bundle : fresh) {
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "rollback could not uninstall " + bundle.getSymbolicName(), e);
            }
        }
    }

    private FeatureFolder find(String name) throws FeatureException {
        try {
            List<FeatureFolder> all = catalog();
            return all.stream().filter(f -> f.name().equals(name)).findFirst()
                    .orElseThrow(() -> new FeatureException("no feature named '" + name + "'; the distribution has: "
                            + String.join(", ", all.stream().map(FeatureFolder::name).toList())));
        } catch (IOException e) {
            throw new FeatureException("cannot read the distribution's features: " + e.getMessage(), e);
        }
    }

    private List<FeatureFolder> catalog() throws IOException {
        List<FeatureFolder> all = new ArrayList<>();
        scan(requiredDir, true, all);
        scan(optionalDir, false, all);
        all.sort(Comparator.comparing(FeatureFolder::name));
        return all;
    }

    private void scan(Path root, boolean required, List<FeatureFolder> into) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                into.add(FeatureFolder.read(dir, required, jars::read));
            }
        }
    }

    private Feature describe(FeatureFolder folder) {
        return new Feature(folder.name(), folder.fileNames(), folder.required(), isInstalled(folder));
    }

    private boolean isInstalled(FeatureFolder folder) {
        return folder.bundles().stream().allMatch(f -> installedBundle(f).isPresent())
                && (folder.required() || !folder.bundles().isEmpty() || isChosen(folder.name()));
    }

    private boolean isChosen(String name) {
        try {
            return chosen.load().contains(name);
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Bundle> installedBundle(BundleFile file) {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getState() != Bundle.UNINSTALLED && file.isSameAs(b))
                .findFirst();
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }
}
