package jarvis.ipc.internal;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every command the daemon knows, by name. A command either works while the identity is locked
 * (hello, status, unlock, ...) or needs the keys; the table answers "Identity is locked" for the
 * latter before its handler runs.
 */
final class CommandTable {

    /** Carries out one request; returns the fields of the response beside {@code id} and {@code success}. */
    @FunctionalInterface
    interface Handler {
        ObjectNode handle(Request request) throws CommandFailure;
    }

    /**
     * @param whileLocked   whether the command is served before the identity is unlocked
     * @param afterResponse run once the response has been written (or the client is gone), or {@code null}
     */
    record Command(String name, boolean whileLocked, Handler handler, Runnable afterResponse) {
    }

    private static final System.Logger LOG = System.getLogger(CommandTable.class.getName());

    private final Map<String, Command> commands = new TreeMap<>();
    private final DaemonServices services;

    CommandTable(DaemonServices services) {
        this.services = services;
    }

    CommandTable add(String name, boolean whileLocked, Handler handler) {
        return add(name, whileLocked, handler, null);
    }

    CommandTable add(String name, boolean whileLocked, Handler handler, Runnable afterResponse) {
        if (commands.putIfAbsent(name, new Command(name, whileLocked, handler, afterResponse)) != null) {
            throw new IllegalStateException("command registered twice: " + name);
        }
        return this;
    }

    Command find(String name) {
        return commands.get(name);
    }

    Iterable<String> names() {
        return commands.keySet();
    }

    /** Runs a command (on a worker thread: handlers may block) and builds its response. */
    ObjectNode run(Command command, Request request) {
        if (!command.whileLocked() && !services.unlocked()) {
            return Protocol.error(request.id(), "Identity is locked").put("locked", true);
        }
        try {
            ObjectNode response = Protocol.success(request.id());
            response.setAll(command.handler().handle(request));
            return response;
        } catch (CommandFailure f) {
            return Protocol.error(request.id(), f);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "IPC command " + command.name() + " failed", e);
            return Protocol.error(request.id(), "Internal error in " + command.name() + ": " + e.getClass().getSimpleName());
        }
    }
}
