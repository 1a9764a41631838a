package jarvis.client;

import com.fasterxml.jackson.databind.JsonNode;

/** The daemon answered a request with {@code "success": false}; the message is its {@code error}. */
public class CommandFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient JsonNode response;

    public CommandFailedException(String command, JsonNode response) {
        super(command + ": " + response.path("error").asText("failed"));
        this.response = response;
    }

    /** The daemon's error text, e.g. {@code "Identity is locked"}. */
    public String error() {
        return response.path("error").asText("");
    }

    /** Whether it failed because the identity is locked (unlock and try again). */
    public boolean locked() {
        return response.path("locked").asBoolean(false);
    }

    /** The whole response, for extra fields such as {@code reason}. */
    public JsonNode response() {
        return response;
    }
}
