package jarvis.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Framework properties from {@code conf/config.properties}, with {@code ${name}} replaced by the
 * launcher's own values ({@code jarvis.install}, {@code jarvis.data}) or system properties.
 * Public so the container tests configure their framework exactly as the daemon does.
 */
public final class FrameworkConfig {

    private static final int MAX_DEPTH = 8;

    private FrameworkConfig() {
    }

    public static Map<String, String> load(Path file, Map<String, String> known) throws IOException {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            raw.load(in);
        }
        Map<String, String> result = new HashMap<>(known);
        Function<String, String> lookup = name -> {
            String v = known.get(name);
            if (v == null) {
                v = raw.getProperty(name);
            }
            return v != null ? v : System.getProperty(name);
        };
        for (String name : raw.stringPropertyNames()) {
            result.put(name, substitute(raw.getProperty(name), lookup, file, name, 0));
        }
        return result;
    }

    static String substitute(String value, Function<String, String> lookup, Path file, String key, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException(file + ": " + key + " has variables nested too deep (a cycle?)");
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                throw new IOException(file + ": " + key + " has an unclosed ${ in '" + value + "'");
            }
            out.append(value, i, start);
            String name = value.substring(start + 2, end);
            String replacement = lookup.apply(name);
            if (replacement == null) {
                throw new IOException(file + ": " + key + " refers to undefined ${" + name + "}");
            }
            out.append(substitute(replacement, lookup, file, key, depth + 1));
            i = end + 1;
        }
        return out.toString();
    }
}
