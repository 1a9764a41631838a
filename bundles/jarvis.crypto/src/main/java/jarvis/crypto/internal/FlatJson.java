package jarvis.crypto.internal;

import jarvis.crypto.CryptoException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the flat JSON objects of the Jarvis 1.x envelopes (string and integer members only, no
 * nesting) so that the bundle needs no JSON library. Strict: anything else is refused with a
 * {@link CryptoException}, and the input size is bounded.
 */
public final class FlatJson {

    /** Jarvis 1.x frames carry at most 10 MiB; an envelope is never larger. */
    public static final int MAX_LENGTH = 16 * 1024 * 1024;

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Members in document order; values are {@link String} or {@link Long}. */
    public static Map<String, Object> parse(String text) throws CryptoException {
        if (text == null) {
            throw new CryptoException("no JSON");
        }
        if (text.length() > MAX_LENGTH) {
            throw new CryptoException("JSON envelope too large");
        }
        return new FlatJson(text).object();
    }

    private Map<String, Object> object() throws CryptoException {
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        expect('{');
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                Object value = peek() == '"' ? string() : integer();
                if (members.put(name, value) != null) {
                    throw new CryptoException("duplicate JSON member " + name);
                }
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new CryptoException("expected , or } in JSON at " + (pos - 1));
                }
            }
        }
        skipWhitespace();
        if (pos != text.length()) {
            throw new CryptoException("trailing data after JSON object");
        }
        return members;
    }

    private String string() throws CryptoException {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new CryptoException("control character in JSON string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    if (pos + 4 > text.length()) {
                        throw new CryptoException("truncated \\u escape in JSON");
                    }
                    byte[] hex = Hex.decode(text.substring(pos, pos + 4));
                    if (hex == null) {
                        throw new CryptoException("bad \\u escape in JSON");
                    }
                    sb.append((char) ((hex[0] & 0xff) << 8 | (hex[1] & 0xff)));
                    pos += 4;
                    break;
                default:
                    throw new CryptoException("bad escape in JSON string");
            }
        }
    }

    private Long integer() throws CryptoException {
        int start = pos;
        if (pos < text.length() && text.charAt(pos) == '-') {
            pos++;
        }
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        String digits = text.substring(start, pos);
        if (digits.isEmpty() || digits.equals("-") || digits.length() > 18) {
            throw new CryptoException("expected a string or an integer in JSON at " + start);
        }
        return Long.parseLong(digits);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() throws CryptoException {
        if (pos >= text.length()) {
            throw new CryptoException("truncated JSON");
        }
        return text.charAt(pos);
    }

    private char next() throws CryptoException {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) throws CryptoException {
        if (next() != c) {
            throw new CryptoException("expected '" + c + "' in JSON at " + (pos - 1));
        }
    }

    /** A JSON string literal, non-ASCII escaped as Python's json.dumps does by default. */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
