package jarvis.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jarvis.launcher.FrameworkConfig;
import org.ops4j.pax.exam.Option;

/**
 * A Pax Exam container set up like the daemon: the distribution's own framework properties and
 * its boot/ and bundle/ folders at the same start levels, with a private data directory and
 * FileInstall folder per test class.
 */
final class ContainerSetup {

    static final int FEATURE_LEVEL = 3;
    static final int PLUGIN_LEVEL = 4;

    private ContainerSetup() {
    }

    static Option[] options(Path data, Path plugins) throws Exception {
        Path dist = Distribution.unpacked();
        // Tests bind peers to loopback only: the transport's default listens on every interface.
        Files.writeString(plugins.resolve("jarvis.transport.tcp.cfg"), "transport.listen = tcp://127.0.0.1:0\n");
        // Nor a fixed IPC port, which a daemon on this machine may hold.
        Files.writeString(plugins.resolve("jarvis.ipc.cfg"), "ipc.port = 0\n");
        Map<String, String> props = FrameworkConfig.load(dist.resolve("conf/config.properties"),
                Map.of("jarvis.install", dist.toString(), "jarvis.data", data.toString()));
        props.put("felix.fileinstall.dir", plugins.toString());
        props.put("felix.fileinstall.poll", "100");
        props.put("felix.fileinstall.start.level", Integer.toString(PLUGIN_LEVEL));
        props.put("felix.fileinstall.active.level", Integer.toString(PLUGIN_LEVEL));
        props.put("jarvis.features.startlevel", Integer.toString(FEATURE_LEVEL));
        // The daemon logs through java.util.logging; in the container its output goes to the test report.

        List<Option> options = new ArrayList<>();
        props.forEach((k, v) -> options.add(frameworkProperty(k).value(v)));
        // Pax Exam starts its probe (the test classes) at start level 5.
        options.add(frameworkStartLevel(org.ops4j.pax.exam.Constants.START_LEVEL_TEST_BUNDLE));
        options.add(cleanCaches(true));
        // Pax Exam's harness bundles need an slf4j API (1.x and 2.x); pax-logging-api exports both.
        options.add(mavenBundle("org.ops4j.pax.logging", "pax-logging-api", System.getProperty("paxlogging.version"))
                .startLevel(1));
        for (Path jar : Distribution.jars(dist.resolve("boot"))) {
            options.add(bundle(jar.toUri().toString()).startLevel(1));
        }
        Set<Path> required = new LinkedHashSet<>();
        for (String name : props.get("jarvis.features.required").split(",")) {
            required.add(dist.resolve("bundle").resolve(name.trim()));
        }
        required.addAll(Distribution.featureDirs(dist.resolve("bundle")));
        for (Path dir : required) {
            for (Path jar : Distribution.jars(dir)) {
                options.add(bundle(jar.toUri().toString()).startLevel(2));
            }
        }
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    static Path newDirectory(String prefix) throws Exception {
        return Files.createTempDirectory(Distribution.work(), prefix);
    }
}
