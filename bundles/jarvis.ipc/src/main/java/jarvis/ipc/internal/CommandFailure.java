package jarvis.ipc.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command could not be carried out; {@link #getMessage()} becomes the response's {@code error} and
 * the extra fields (e.g. {@code locked}, {@code reason}) are added beside it.
 */
final class CommandFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final Map<String, Object> fields = new LinkedHashMap<>();

    CommandFailure(String error) {
        super(error, null, false, false);
    }

    CommandFailure with(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    Map<String, Object> fields() {
        return fields;
    }

    static CommandFailure missing(String parameter) {
        return new CommandFailure("Missing parameter: " + parameter);
    }

    static CommandFailure invalid(String parameter, String why) {
        return new CommandFailure("Invalid parameter " + parameter + ": " + why);
    }

    /** The answer for a command whose service is not in this daemon (not installed, or not started). */
    static CommandFailure unavailable(String what) {
        return new CommandFailure(what + " not available in this daemon").with("available", false);
    }
}
