package jarvis.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import jarvis.client.ClientOptions;
import jarvis.client.CommandFailedException;
import jarvis.client.ConnectionLostException;
import jarvis.client.DaemonNotFoundException;
import jarvis.client.Event;
import jarvis.client.JarvisClient;

/**
 * One short-lived connection to the daemon, with the daemon's failures turned into exit codes. A
 * one-shot command must not reconnect in the background: if the daemon goes away the command fails.
 */
public final class Ipc implements AutoCloseable {

    private final JarvisClient client;

    private Ipc(JarvisClient client) {
        this.client = client;
    }

    /** Connects, or fails with {@link ExitCode#NOT_RUNNING}. */
    public static Ipc connect(Path dataDir, Duration timeout) throws CliException {
        try {
            return new Ipc(JarvisClient.connect(dataDir, options(timeout)));
        } catch (DaemonNotFoundException e) {
            throw new CliException(ExitCode.NOT_RUNNING,
                    "jarvisd is not running for " + dataDir + " (start it with: jarvis daemon start)", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "cannot talk to jarvisd: " + e.getMessage(), e);
        }
    }

    /** Connects if a daemon answers; {@code null} otherwise (for probes, which treat both alike). */
    public static Ipc tryConnect(Path dataDir, Duration timeout) {
        try {
            return new Ipc(JarvisClient.connect(dataDir, options(timeout)));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static ClientOptions options(Duration timeout) {
        return ClientOptions.defaults().withReconnect(false).withRequestTimeout(timeout);
    }

    public String transport() {
        return client.transport();
    }

    public JsonNode call(String command) throws CliException {
        return call(command, Map.of());
    }

    /**
     * Sends a command and waits for its answer. A {@code char[]} parameter is encoded before the
     * request is sent and may be wiped by the caller right after this returns.
     */
    public JsonNode call(String command, Map<String, ?> params) throws CliException {
        try {
            return client.request(command, params).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.ERROR, "interrupted");
        } catch (ExecutionException | CompletionException e) {
            throw failure(command, e.getCause());
        }
    }

    /**
     * The data of the next event {@code name} whose data passes {@code test}. Register before asking for the
     * current state, so that a change between the two is not missed. Cancelling the future stops listening.
     */
    public CompletableFuture<JsonNode> nextEvent(String name, Predicate<JsonNode> test) {
        CompletableFuture<JsonNode> next = new CompletableFuture<>();
        Consumer<Event> listener = e -> {
            if (e.name().equals(name) && test.test(e.data())) {
                next.complete(e.data());
            }
        };
        client.onEvent(listener);
        next.whenComplete((data, failure) -> client.removeEventListener(listener));
        return next;
    }

    static CliException failure(String command, Throwable cause) {
        if (cause instanceof CommandFailedException refused) {
            JsonNode r = refused.response();
            String error = refused.error();
            String reason = r.path("reason").asText("");
            if (refused.locked() || "LOCKED".equals(reason)) {
                return new CliException(ExitCode.LOCKED, error + " (unlock it with: jarvis unlock)");
            }
            if ("NO_IDENTITY".equals(reason)) {
                return new CliException(ExitCode.LOCKED, "no identity yet (create one with: jarvis init --username NAME)");
            }
            if ("WRONG_PASSWORD".equals(reason)) {
                return new CliException(ExitCode.WRONG_PASSWORD, error);
            }
            if (error.equals("Contact not found")) {
                return new CliException(ExitCode.NOT_FOUND, error);
            }
            if (error.startsWith("Unknown command")) {
                return new CliException(ExitCode.ERROR, error + " (this jarvisd is older than the jarvis command)");
            }
            return new CliException(ExitCode.ERROR, error);
        }
        if (cause instanceof ConnectionLostException) {
            return new CliException(ExitCode.ERROR, "jarvisd went away during " + command + ": " + cause.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return new CliException(ExitCode.ERROR, cause.getMessage());
        }
        return new CliException(ExitCode.ERROR, command + " failed: " + cause);
    }

    @Override
    public void close() {
        client.close();
    }
}
