package jarvis.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * One run of the daemon: a fresh OSGi framework over the distribution's bundles, held until a stop
 * signal (or the console's exit) stops it cleanly.
 */
final class Daemon {

    static final int BOOT_LEVEL = 1;
    static final int CORE_LEVEL = 2;
    static final int FEATURE_LEVEL = 3;
    static final int PLUGIN_LEVEL = 4;
    static final int CONSOLE_LEVEL = 5;

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path install;
    private final DataDirectory data;
    private final LaunchOptions options;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile Framework framework;

    Daemon(Path install, DataDirectory data, LaunchOptions options) {
        this.install = install;
        this.data = data;
        this.options = options;
    }

    /** Asks the daemon to stop; safe from any thread, at any time, more than once. */
    void requestStop() {
        stopRequested.countDown();
        Framework fw = framework;
        if (fw != null) {
            try {
                fw.stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(Level.WARNING, "stopping the framework failed", e);
            }
        }
    }

    /**
     * Runs until stopped.
     *
     * @return the process exit code: 0 after a clean stop, 1 if the framework failed
     */
    int run() throws IOException, BundleException, InterruptedException {
        while (true) {
            long t0 = System.nanoTime();
            Framework fw = newFramework();
            fw.init();
            framework = fw;
            long t1 = System.nanoTime();
            deploy(fw);
            long t2 = System.nanoTime();
            if (stopRequested.getCount() == 0) {
                fw.stop();
            } else {
                fw.start();
                long t3 = System.nanoTime();
                LOG.fine(() -> String.format("start-up phases: framework init %d ms, install %d ms, start %d ms",
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000));
                announceReady(fw);
            }
            FrameworkEvent stopped = fw.waitForStop(0);
            framework = null;
            Files.deleteIfExists(readyFile());
            switch (stopped.getType()) {
                case FrameworkEvent.STOPPED_UPDATE, FrameworkEvent.STOPPED_SYSTEM_REFRESHED -> {
                    if (stopRequested.getCount() == 0) {
                        return 0;
                    }
                    LOG.info("framework restart requested");
                }
                case FrameworkEvent.ERROR -> {
                    LOG.log(Level.SEVERE, "framework stopped with an error", stopped.getThrowable());
                    return 1;
                }
                default -> {
                    LOG.info("jarvisd stopped");
                    return 0;
                }
            }
        }
    }

    /** Waits for the framework to stop after {@link #requestStop()}; for the JVM shutdown hook. */
    void awaitStopped() {
        Framework fw = framework;
        if (fw != null) {
            try {
                fw.waitForStop(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Framework newFramework() throws IOException {
        Map<String, String> known = new HashMap<>();
        known.put("jarvis.install", install.toString());
        known.put("jarvis.data", data.root().toString());
        Map<String, String> props = FrameworkConfig.load(install.resolve("conf").resolve("config.properties"), known);
        props.put(Constants.FRAMEWORK_STORAGE, data.cache().toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL,
                Integer.toString(options.console() ? CONSOLE_LEVEL : PLUGIN_LEVEL));
        props.put("jarvis.features.startlevel", Integer.toString(FEATURE_LEVEL));
        props.put("felix.fileinstall.start.level", Integer.toString(PLUGIN_LEVEL));
        props.put("felix.fileinstall.active.level", Integer.toString(PLUGIN_LEVEL));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IOException("no OSGi framework on the class path (lib/)"));
        return factory.newFramework(props);
    }

    private void deploy(Framework fw) throws IOException {
        BundleDeployer deployer = new BundleDeployer(fw.getBundleContext());
        deployer.installFolder(install.resolve("boot"), BOOT_LEVEL);
        String required = fw.getBundleContext().getProperty("jarvis.features.required");
        List<String> order = required == null ? List.of()
                : Arrays.stream(required.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        deployer.installFeatures(install.resolve("bundle"), order, CORE_LEVEL);
        if (options.console()) {
            deployer.installFolder(install.resolve("shell"), CONSOLE_LEVEL);
        }
        deployer.startAll();
    }

    private Path readyFile() {
        return data.run().resolve("jarvisd.ready");
    }

    /** Reports start-up: every bundle that is not active is named, in the log and the ready file. */
    private void announceReady(Framework fw) throws IOException {
        List<String> inactive = new ArrayList<>();
        int active = 0;
        for (Bundle b : fw.getBundleContext().getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (b.getState() == Bundle.ACTIVE || (fragment && b.getState() == Bundle.RESOLVED)) {
                active++;
            } else {
                inactive.add(b.getSymbolicName() + " (" + stateName(b.getState()) + ")");
            }
        }
        // The JVM's own start time: ProcessHandle's start instant is only precise to the second.
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String ready = "pid=" + ProcessHandle.current().pid() + "\n"
                + "startupMillis=" + millis + "\n"
                + "activeBundles=" + active + "\n"
                + "inactiveBundles=" + String.join(",", inactive) + "\n";
        Path tmp = data.run().resolve("jarvisd.ready.tmp");
        Files.writeString(tmp, ready, StandardCharsets.UTF_8);
        Files.move(tmp, readyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        String summary = "jarvisd ready in " + millis + " ms: " + active + " bundles active, data directory "
                + data.root();
        if (inactive.isEmpty()) {
            LOG.info(summary);
        } else {
            LOG.warning(summary + "; NOT active: " + String.join(", ", inactive));
        }
        if (!options.console()) {
            System.out.println(inactive.isEmpty() ? summary : summary + "; NOT active: " + String.join(", ", inactive));
        }
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "Installed";
            case Bundle.RESOLVED -> "Resolved";
            case Bundle.STARTING -> "Starting";
            case Bundle.STOPPING -> "Stopping";
            case Bundle.ACTIVE -> "Active";
            default -> "Uninstalled";
        };
    }
}
