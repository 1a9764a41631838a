package jarvis.identity.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for decrypted files that hold secrets: string values come back as
 * {@code char[]} so they can be wiped ({@link #wipe}), never as Strings; member names are Strings. Objects
 * are {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@link BigDecimal}, then
 * {@code Boolean} and {@link #NULL}. Depth is bounded.
 */
final class SecretJson {

    /** The JSON {@code null}. */
    static final Object NULL = new Object();

    private static final int MAX_DEPTH = 16;

    private final char[] text;
    private int pos;

    private SecretJson(char[] text) {
        this.text = text;
    }

    /**
     * Parses one JSON value filling the whole text.
     *
     * @throws IllegalArgumentException with a message naming the offset if the text is not JSON
     */
    static Object parse(char[] text) {
        SecretJson reader = new SecretJson(text);
        reader.skipSpace();
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.pos != text.length) {
            throw reader.error("text after the JSON value");
        }
        return value;
    }

    /** Overwrites every string value held in {@code value} (recursively). */
    static void wipe(Object value) {
        if (value instanceof char[]) {
            Arrays.fill((char[]) value, '\0');
        } else if (value instanceof Map) {
            ((Map<?, ?>) value).values().forEach(SecretJson::wipe);
        } else if (value instanceof List) {
            ((List<?>) value).forEach(SecretJson::wipe);
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested too deeply");
        }
        if (pos >= text.length) {
            throw error("unexpected end");
        }
        char c = text[pos];
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("member name expected");
            }
            char[] nameChars = string();
            String name = new String(nameChars);
            skipSpace();
            expect(':');
            skipSpace();
            Object previous = members.put(name, value(depth + 1));
            if (previous != null) {
                wipe(previous);
                throw error("duplicate member " + name);
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw error("',' or '}' expected");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> items = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipSpace();
            items.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                throw error("',' or ']' expected");
            }
        }
    }

    private char[] string() {
        pos++;
        char[] out = new char[16];
        int n = 0;
        while (true) {
            char c = next();
            if (c == '"') {
                char[] result = Arrays.copyOf(out, n);
                Arrays.fill(out, '\0');
                return result;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                c = escape();
            }
            if (n == out.length) {
                char[] bigger = Arrays.copyOf(out, n * 2);
                Arrays.fill(out, '\0');
                out = bigger;
            }
            out[n++] = c;
        }
    }

    private char escape() {
        char c = next();
        switch (c) {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(next(), 16);
                    if (d < 0) {
                        throw error("bad \\u escape");
                    }
                    v = v << 4 | d;
                }
                return (char) v;
            default:
                throw error("bad escape");
        }
    }

    private BigDecimal number() {
        int start = pos;
        while (pos < text.length && "+-0123456789.eE".indexOf(text[pos]) >= 0) {
            pos++;
        }
        if (pos - start > 64) {
            throw error("number too long");
        }
        try {
            return new BigDecimal(text, start, pos - start);
        } catch (NumberFormatException e) {
            throw error("bad number");
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw error("bad literal");
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length) {
            throw error("unexpected end");
        }
        return text[pos];
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("'" + c + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }
}
