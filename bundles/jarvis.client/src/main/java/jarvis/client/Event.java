package jarvis.client;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event the daemon pushed, e.g. {@code message_received} or {@code contact_added}.
 *
 * @param name the event's name
 * @param data its fields (an empty object when it has none)
 */
public record Event(String name, JsonNode data) {

    public Event {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }
}
