package jarvis.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jarvis.crypto.internal.Hex;

/** Loads the vector files copied into the test resources (so tests run without ../shared). */
public final class Vectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Vectors() {
    }

    public static JsonNode load(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource vectors/" + path);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] hex(JsonNode node, String field) {
        return hex(node.get(field).asText());
    }

    public static byte[] hex(String text) {
        byte[] out = Hex.decode(text);
        if (out == null) {
            throw new IllegalArgumentException("bad hex in vector: " + text);
        }
        return out;
    }

    /** Tallies one vector file and prints it, so the build log shows what ran. */
    public static final class Tally {
        private final String file;
        public int run;
        public int passed;
        public int skipped;
        public final java.util.List<String> failures = new java.util.ArrayList<>();

        public Tally(String file) {
            this.file = file;
        }

        public void pass() {
            run++;
            passed++;
        }

        public void skip() {
            skipped++;
        }

        public void fail(String what) {
            run++;
            failures.add(what);
        }

        public void check(boolean ok, String what) {
            if (ok) {
                pass();
            } else {
                fail(what);
            }
        }

        public void print() {
            System.out.printf("[vectors] %s: run=%d passed=%d skipped=%d failed=%d%n", file, run, passed, skipped,
                    failures.size());
        }
    }
}
