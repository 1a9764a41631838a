package jarvis.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Small jar helpers for the tests: read a bundle's identity, write a minimal bundle. */
final class Jars {

    private Jars() {
    }

    /** {symbolicName, version} from a bundle jar's manifest. */
    static String[] identity(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName").split(";")[0].trim();
            String version = main.getValue("Bundle-Version");
            return new String[] {bsn, version == null ? "0.0.0" : version.trim()};
        }
    }

    /** Writes a manifest-only bundle and moves it into place at once, so no watcher sees half a file. */
    static void writeBundle(Path target, String symbolicName, String version) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        Path tmp = Files.createTempFile(target.getParent().getParent(), "bundle", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
