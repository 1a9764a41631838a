package jarvis.ipc.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire format: one JSON object per line, responses carrying the request's id, events typed. */
final class Protocol {

    static final int VERSION = 1;
    static final String SERVER = "jarvisd";
    static final byte[] OVERFLOW_LINE = "{\"type\":\"event\",\"event\":\"overflow\",\"data\":{}}\n"
            .getBytes(StandardCharsets.UTF_8);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Protocol() {
    }

    static ObjectNode success(JsonNode id) {
        ObjectNode o = Views.object();
        o.set("id", id);
        return o.put("success", true);
    }

    static ObjectNode error(JsonNode id, String error) {
        ObjectNode o = Views.object();
        o.set("id", id);
        return o.put("success", false).put("error", error);
    }

    static ObjectNode error(JsonNode id, CommandFailure failure) {
        ObjectNode o = error(id, failure.getMessage());
        for (Map.Entry<String, Object> e : failure.fields().entrySet()) {
            o.set(e.getKey(), MAPPER.valueToTree(e.getValue()));
        }
        return o;
    }

    static ObjectNode event(String name, ObjectNode data) {
        ObjectNode o = Views.object().put("type", "event").put("event", name);
        o.set("data", data);
        return o;
    }

    /** The line for {@code message}: compact JSON (no raw newline can occur) and the terminating newline. */
    static byte[] encode(JsonNode message) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(message);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }
}
