package jarvis.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import java.util.Arrays;
import java.util.List;

import jarvis.api.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest {

    private static final List<String> NOTES_V1 = List.of("CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(1000));");
    private static final String SECRET = "meet me at the old mill at nine";

    @TempDir
    Path dir;

    private H2Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    private void insert(int id, String text) throws StoreException {
        store.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO note (id, text) VALUES (?, ?)")) {
                p.setInt(1, id);
                p.setString(2, text);
                return p.executeUpdate();
            }
        });
    }

    private List<String> texts() throws StoreException {
        return store.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT text FROM note ORDER BY id"); ResultSet r = p.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                while (r.next()) {
                    out.add(r.getString(1));
                }
                return out;
            }
        });
    }

    @Test
    void dataSurvivesCloseAndReopenWithTheSameKey() throws Exception {
        store = H2Store.open(dir, key(7));
        assertThat(store.migrate("notes", NOTES_V1)).isEqualTo(1);
        insert(1, SECRET);
        store.close();

        store = H2Store.open(dir, key(7));
        assertThat(store.migrate("notes", NOTES_V1)).as("already at version 1").isEqualTo(1);
        assertThat(texts()).containsExactly(SECRET);
    }

    @Test
    void nothingIsReadableAtRestAndAnotherKeyCannotOpenIt() throws Exception {
        store = H2Store.open(dir, key(7));
        store.migrate("notes", NOTES_V1);
        insert(1, SECRET);
        store.close();
        store = null;

        byte[] file = Files.readAllBytes(dir.resolve(H2Store.FILE_NAME + ".mv.db"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("old mill").doesNotContain("NOTE");

        assertThatThrownBy(() -> H2Store.open(dir, key(8))).isInstanceOf(StoreException.class)
                .hasMessageContaining("key does not match");
    }

    @Test
    void aFailedWriteIsRolledBackWhole() throws Exception {
        store = H2Store.open(dir, key(1));
        store.migrate("notes", NOTES_V1);
        assertThatThrownBy(() -> store.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO note VALUES (?, ?)")) {
                p.setInt(1, 1);
                p.setString(2, "first");
                p.executeUpdate();
                p.setInt(1, 1);
                p.setString(2, "duplicate key");
                return p.executeUpdate();
            }
        })).isInstanceOf(StoreException.class);
        assertThat(texts()).isEmpty();
    }

    @Test
    void migrationsRunInOrderAndStopAtAFailingScript() throws Exception {
        store = H2Store.open(dir, key(1));
        List<String> scripts = List.of(
                "CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(1000));",
                "ALTER TABLE note ADD COLUMN pinned BOOLEAN DEFAULT FALSE;\nCREATE INDEX note_pinned ON note(pinned);",
                "THIS IS NOT SQL;");
        assertThatThrownBy(() -> store.migrate("notes", scripts)).isInstanceOf(StoreException.class);
        // Versions 1 and 2 are kept; running the fixed list resumes at 3.
        int version = store.migrate("notes", List.of(scripts.get(0), scripts.get(1),
                "ALTER TABLE note ADD COLUMN color VARCHAR(16);"));
        assertThat(version).isEqualTo(3);
        insert(1, "x");
        String row = store.read(c -> {
            try (var s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pinned, color FROM note")) {
                r.next();
                return r.getBoolean(1) + "/" + r.getString(2);
            }
        });
        assertThat(row).isEqualTo("false/null");
    }

    @Test
    void aNewerSchemaIsNotDowngraded() throws Exception {
        store = H2Store.open(dir, key(1));
        store.migrate("notes", List.of(NOTES_V1.get(0), "ALTER TABLE note ADD COLUMN x INT;"));
        assertThatThrownBy(() -> store.migrate("notes", NOTES_V1)).hasMessageContaining("refusing to downgrade");
    }

    @Test
    void aDatabaseClosedUnderTheStoreIsReopenedByTheNextUse() throws Exception {
        // What H2 does after a failed write of the file (a full disk): it closes the database under the pool.
        store = H2Store.open(dir, key(3));
        store.migrate("notes", NOTES_V1);
        insert(1, SECRET);
        try {
            store.write(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN IMMEDIATELY");
                }
                return null;
            });
        } catch (StoreException expected) {
            // the shutdown ends the transaction it ran in
        }
        int failures = 0;
        List<String> seen = null;
        for (int attempt = 0; attempt < 5 && seen == null; attempt++) {
            try {
                seen = texts();
            } catch (StoreException e) {
                failures++;
            }
        }
        assertThat(seen).as("the committed row, read from the reopened file").containsExactly(SECRET);
        assertThat(failures).as("only the use that found the database closed fails").isLessThanOrEqualTo(1);
        insert(2, "after");
        assertThat(texts()).containsExactly(SECRET, "after");
    }

    @Test
    void aClosedStoreSaysSo() throws Exception {
        store = H2Store.open(dir, key(1));
        store.close();
        assertThatThrownBy(() -> store.read(c -> 1)).hasMessageContaining("closed");
        store = null;
    }

    @Test
    void scriptsSplitAtLineEndingSemicolonsOnly() {
        assertThat(H2Store.statements("CREATE TABLE a (t VARCHAR(9) DEFAULT 'x;y');\nINSERT INTO a VALUES ('1');"))
                .containsExactly("CREATE TABLE a (t VARCHAR(9) DEFAULT 'x;y')", "INSERT INTO a VALUES ('1')");
    }

    @Test
    void moduleNamesAreChecked() throws Exception {
        store = H2Store.open(dir, key(1));
        assertThatThrownBy(() -> store.migrate("Bad Name", NOTES_V1)).isInstanceOf(IllegalArgumentException.class);
    }


    @Test
    void aFullDiskIsNamedAsSuchHoweverDeepH2WrapsIt() {
        // As H2 reports a failed chunk write: its own exception around the file system's IOException.
        java.sql.SQLException full = new java.sql.SQLException("General error: \"org.h2.mvstore.MVStoreException: "
                + "Writing to file failed\"", "HY000", 50000, new IllegalStateException("Writing to file failed",
                        new java.io.IOException("No space left on device")));
        assertThat(H2Store.describe("store write failed", full))
                .isEqualTo("store write failed: the disk is full (no space left on the device of the data directory);"
                        + " nothing was saved");
        assertThat(H2Store.describe("store write failed", new java.sql.SQLException("Table not found", "42S02", 42102)))
                .isEqualTo("store write failed: Table not found");
    }
}
