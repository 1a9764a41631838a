package jarvis.ipc.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

/**
 * Turns one request line into a {@link Request}. A streaming parser builds the tree itself so that
 * the values of password fields are copied straight from the parser's buffer into a {@code char[]}
 * and never become a String; the caller zeroes the line's bytes afterwards.
 */
final class RequestParser {

    /** Parameters that carry a password, at any depth of {@code params}. */
    static final Set<String> SECRET_FIELDS = Set.of("password", "old_password", "new_password");
    static final int MAX_DEPTH = 32;

    private final JsonFactory factory = new JsonFactory();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /** Why a line is not a request; {@code id} is the request's id when it could be read. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient JsonNode id;

        Malformed(String message, JsonNode id) {
            super(message, null, false, false);
            this.id = id;
        }
    }

    Request parse(byte[] line) throws Malformed {
        List<char[]> secrets = new ArrayList<>();
        ObjectNode root;
        try (JsonParser p = factory.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("Invalid JSON: a request is a JSON object", null);
            }
            root = readObject(p, 1, secrets);
            if (p.nextToken() != null) {
                throw new Malformed("Invalid JSON: one object per line", null);
            }
        } catch (IOException | NumberFormatException e) {
            // NumberFormatException: Jackson's number conversions throw it for some inputs it tokenised.
            wipe(secrets);
            throw new Malformed("Invalid JSON", null);
        } catch (Malformed e) {
            wipe(secrets);
            throw e;
        }
        try {
            return validate(root, secrets);
        } catch (Malformed e) {
            wipe(secrets);
            throw e;
        }
    }

    private static Request validate(ObjectNode root, List<char[]> secrets) throws Malformed {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            throw new Malformed("Missing request id", null);
        }
        if (!id.isTextual() && !id.isNumber()) {
            throw new Malformed("Invalid request id: a string or a number", null);
        }
        JsonNode command = root.get("command");
        if (command == null || !command.isTextual() || command.textValue().isEmpty()) {
            throw new Malformed("Missing command", id);
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new Malformed("Invalid params: a JSON object", id);
        }
        ObjectNode p = params instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        return new Request(id, command.textValue(), p, List.copyOf(secrets));
    }

    private ObjectNode readObject(JsonParser p, int depth, List<char[]> secrets) throws IOException, Malformed {
        checkDepth(depth);
        ObjectNode object = nodes.objectNode();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && SECRET_FIELDS.contains(name)) {
                char[] chars = Arrays.copyOfRange(p.getTextCharacters(), p.getTextOffset(),
                        p.getTextOffset() + p.getTextLength());
                secrets.add(chars);
                object.set(name, new POJONode(new Request.Secret(chars)));
            } else {
                object.set(name, readValue(p, value, depth, secrets));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new Malformed("Invalid JSON", null);
        }
        return object;
    }

    private ArrayNode readArray(JsonParser p, int depth, List<char[]> secrets) throws IOException, Malformed {
        checkDepth(depth);
        ArrayNode array = nodes.arrayNode();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new Malformed("Invalid JSON", null);
            }
            array.add(readValue(p, t, depth, secrets));
        }
        return array;
    }

    private JsonNode readValue(JsonParser p, JsonToken t, int depth, List<char[]> secrets)
            throws IOException, Malformed {
        if (t == null) {
            throw new Malformed("Invalid JSON", null);
        }
        return switch (t) {
            case START_OBJECT -> readObject(p, depth + 1, secrets);
            case START_ARRAY -> readArray(p, depth + 1, secrets);
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            // A double, not a BigDecimal: no command takes a fraction, "1e99923456789" does not fit a BigDecimal
            // (NumberFormatException), and "1e999999999" does, but turning it into an int later would expand
            // it to a billion digits. As a double either is just Infinity, cheap and refused by range checks.
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new Malformed("Invalid JSON", null);
        };
    }

    private static void checkDepth(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("Invalid JSON: nested deeper than " + MAX_DEPTH + " levels", null);
        }
    }

    private static void wipe(List<char[]> secrets) {
        for (char[] s : secrets) {
            Arrays.fill(s, '\0');
        }
    }
}
