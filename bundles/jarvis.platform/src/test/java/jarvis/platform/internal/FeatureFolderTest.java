package jarvis.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class FeatureFolderTest {

    @TempDir
    Path dir;

    static void writeBundle(Path jar, String bsn, String version) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        if (version != null) {
            m.getMainAttributes().putValue("Bundle-Version", version);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    @Test
    void readsBundlesSortedWithDescription() throws Exception {
        Path f = Files.createDirectories(dir.resolve("jarvis-demo"));
        writeBundle(f.resolve("b.jar"), "demo.b;singleton:=true", "1.2.3");
        writeBundle(f.resolve("a.jar"), "demo.a", null);
        Files.writeString(f.resolve(FeatureFolder.DESCRIPTOR), "description = A demo\n");
        Files.writeString(f.resolve("notes.txt"), "ignored");

        FeatureFolder folder = FeatureFolder.read(f, false);

        assertThat(folder.name()).isEqualTo("jarvis-demo");
        assertThat(folder.description()).isEqualTo("A demo");
        assertThat(folder.fileNames()).containsExactly("a.jar", "b.jar");
        assertThat(folder.bundles().get(0).version()).isEqualTo(Version.emptyVersion);
        assertThat(folder.bundles().get(1).symbolicName()).isEqualTo("demo.b");
        assertThat(folder.bundles().get(1).version()).isEqualTo(new Version(1, 2, 3));
        assertThat(folder.bundles().get(0).location()).startsWith("reference:file:");
    }

    @Test
    void aPlainJarIsReportedNotInstalled() throws Exception {
        Path f = Files.createDirectories(dir.resolve("broken"));
        writeBundle(f.resolve("plain.jar"), null, null);
        assertThatThrownBy(() -> FeatureFolder.read(f, false)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an OSGi bundle");
    }

    @Test
    void anInvalidVersionIsReported() throws Exception {
        Path f = Files.createDirectories(dir.resolve("broken"));
        writeBundle(f.resolve("v.jar"), "x", "not-a-version");
        assertThatThrownBy(() -> FeatureFolder.read(f, false)).hasMessageContaining("invalid Bundle-Version");
    }

    @Test
    void cacheRereadsAJarOnlyWhenItChanges() throws Exception {
        Path jar = dir.resolve("c.jar");
        writeBundle(jar, "demo.c", "1.0.0");
        BundleFileCache cache = new BundleFileCache();
        BundleFile first = cache.read(jar);
        assertThat(cache.read(jar)).isSameAs(first);

        writeBundle(jar, "demo.c", "2.0.0");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(jar).toMillis() + 2000));
        assertThat(cache.read(jar).version()).isEqualTo(new Version(2, 0, 0));
    }
}
