package jarvis.ipc.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

/**
 * One parsed request line. Password parameters never become Strings: the parser keeps them as
 * {@code char[]} (see {@link RequestParser}) and {@link #wipe()} zeroes whatever was not handed on.
 *
 * @param id      the client's id, a JSON string or number, echoed in the response
 * @param command the command name
 * @param params  the parameters (an empty object when absent)
 * @param secrets every password parameter of the line, for wiping
 */
record Request(JsonNode id, String command, ObjectNode params, List<char[]> secrets) {

    String text(String name) throws CommandFailure {
        return optionalText(name).orElseThrow(() -> CommandFailure.missing(name));
    }

    Optional<String> optionalText(String name) throws CommandFailure {
        JsonNode node = params.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw CommandFailure.invalid(name, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    /** A password parameter, as the array the parser made; the identity service wipes it after use. */
    char[] secret(String name) throws CommandFailure {
        JsonNode node = params.get(name);
        if (node == null || node.isNull()) {
            throw CommandFailure.missing(name);
        }
        if (node instanceof POJONode pojo && pojo.getPojo() instanceof Secret secret) {
            return secret.chars();
        }
        throw CommandFailure.invalid(name, "must be a string");
    }

    Optional<Integer> optionalInt(String name, int min, int max) throws CommandFailure {
        JsonNode node = params.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt() || node.intValue() < min
                || node.intValue() > max) {
            throw CommandFailure.invalid(name, "must be an integer from " + min + " to " + max);
        }
        return Optional.of(node.intValue());
    }

    boolean bool(String name, boolean fallback) throws CommandFailure {
        JsonNode node = params.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw CommandFailure.invalid(name, "must be true or false");
        }
        return node.booleanValue();
    }

    void wipe() {
        for (char[] s : secrets) {
            Arrays.fill(s, '\0');
        }
    }

    /**
     * A password inside the parameter tree. It prints and serialises as stars, so a logged or echoed tree
     * never shows it; identity equality, since two passwords are never compared here.
     */
    static final class Secret implements JsonSerializable {
        private final char[] chars;

        Secret(char[] chars) {
            this.chars = chars;
        }

        char[] chars() {
            return chars;
        }

        @Override
        public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString("***");
        }

        @Override
        public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
                throws IOException {
            serialize(gen, serializers);
        }

        @Override
        public String toString() {
            return "***";
        }
    }
}
