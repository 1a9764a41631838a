package jarvis.cli.internal;

import java.io.PrintStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where results go: human text, or with {@code --json} exactly one JSON object on stdout (also for
 * failures, so a script can always parse stdout; the exit code says which it is).
 */
public final class Output {

    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper mapper = new ObjectMapper();

    public Output(boolean json, PrintStream out, PrintStream err) {
        this.json = json;
        this.out = out;
        this.err = err;
    }

    public boolean json() {
        return json;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A command's result: {@code result} (with {@code "ok": true} added) in JSON mode, else {@code text}. */
    public void result(ObjectNode result, String text) {
        if (json) {
            ObjectNode all = object().put("ok", true);
            all.setAll(result);
            out.println(write(all));
        } else if (text != null && !text.isEmpty()) {
            out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        }
        out.flush();
    }

    /** A failure: {@code {"ok":false,"error":…,"exit_code":…}} on stdout, or the text on stderr. */
    public void failure(CliException e, ObjectNode details) {
        if (json) {
            ObjectNode all = object().put("ok", false).put("error", e.getMessage()).put("exit_code", e.exitCode());
            if (details != null) {
                all.setAll(details);
            }
            out.println(write(all));
            out.flush();
        } else {
            err.println("jarvis: " + e.getMessage());
            err.flush();
        }
    }

    /** Progress for people; silent in JSON mode so stdout stays one object. */
    public void note(String text) {
        if (!json) {
            err.println(text);
            err.flush();
        }
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
