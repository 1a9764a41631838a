package jarvis.legacy.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object written as Python's {@code json.dumps} writes it by default: members in insertion order,
 * {@code ", "} and {@code ": "} separators, everything outside printable ASCII escaped as {@code \\uXXXX}. So a
 * frame we send is byte for byte what a 1.x peer would send.
 */
final class PythonJson {

    /** A value written as it is (an object already in this form). */
    record Raw(String json) {
    }

    private final Map<String, Object> members = new LinkedHashMap<>();

    PythonJson put(String name, Object value) {
        members.put(name, value);
        return this;
    }

    byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : members.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            string(sb, e.getKey());
            sb.append(": ");
            Object v = e.getValue();
            if (v instanceof String s) {
                string(sb, s);
            } else if (v instanceof Raw r) {
                sb.append(r.json());
            } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                sb.append(v);
            } else if (v == null) {
                sb.append("null");
            } else {
                throw new IllegalArgumentException("not a JSON value here: " + v.getClass().getName());
            }
        }
        return sb.append('}').toString();
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
