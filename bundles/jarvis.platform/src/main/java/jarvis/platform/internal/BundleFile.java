package jarvis.platform.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * A bundle jar in the distribution, known by symbolic name and version so that a bundle shared by
 * two features is installed once and kept while either feature needs it.
 */
record BundleFile(Path path, String symbolicName, Version version) {

    static BundleFile read(Path jar) throws IOException {
        // Only the manifest is needed: skip signature verification (bcprov is a signed jar).
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            int semicolon = bsn.indexOf(';');
            String name = (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
            Attributes main = manifest.getMainAttributes();
            String version = main.getValue("Bundle-Version");
            try {
                return new BundleFile(jar, name, version == null ? Version.emptyVersion : Version.parseVersion(version.trim()));
            } catch (IllegalArgumentException e) {
                throw new IOException(jar + " has an invalid Bundle-Version '" + version + "'", e);
            }
        }
    }

    /** Install by reference: the framework reads the jar in place instead of copying it into its cache. */
    String location() {
        return "reference:" + path.toUri();
    }

    boolean isSameAs(Bundle bundle) {
        return symbolicName.equals(bundle.getSymbolicName()) && version.equals(bundle.getVersion());
    }
}
