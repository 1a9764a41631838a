package jarvis.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.channels.SocketChannel;

/**
 * A connection to the Jarvis daemon of one data directory.
 *
 * <pre>{@code
 * try (JarvisClient jarvis = JarvisClient.connect(dataDir)) {
 *     jarvis.onEvent(e -> System.out.println(e.name() + " " + e.data()));
 *     jarvis.unlock(password).join();
 *     jarvis.contacts().join().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Requests carry ids, so several may be outstanding at once; each completes with the daemon's
 * response, or exceptionally with {@link CommandFailedException} ({@code "success": false}),
 * {@link ConnectionLostException} (the connection ended first) or {@link TimeoutException}. When the
 * connection is lost the client reconnects by itself with exponential backoff (the daemon may come
 * back on another port with a new token: both are read again), and tells state listeners.
 *
 * <p>Threads: responses complete on a pool thread and events are delivered one at a time in arrival
 * order on the client's event thread, so a listener may wait for a request without blocking the reader.
 */
public final class JarvisClient implements AutoCloseable {

    /** Where the connection stands. */
    public enum State {
        CONNECTED, DISCONNECTED, CLOSED
    }

    static final int PROTOCOL_VERSION = 1;

    private static final System.Logger LOG = System.getLogger(JarvisClient.class.getName());

    private final Path dataDir;
    private final ClientOptions options;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService callbacks;
    private final ExecutorService events;
    private final List<Consumer<Event>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<State>> stateListeners = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private volatile Link link;
    private volatile boolean closed;
    private volatile State state = State.DISCONNECTED;

    private JarvisClient(Path dataDir, ClientOptions options) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.options = Objects.requireNonNull(options, "options");
        this.timer = new ScheduledThreadPoolExecutor(1, threads("jarvis-client-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.callbacks = Executors.newCachedThreadPool(threads("jarvis-client-callback"));
        this.events = Executors.newSingleThreadExecutor(threads("jarvis-client-events"));
    }

    /** Connects to the daemon of {@code dataDir} with the {@link ClientOptions#defaults() default options}. */
    public static JarvisClient connect(Path dataDir) throws IOException {
        return connect(dataDir, ClientOptions.defaults());
    }

    /**
     * Connects to the daemon of {@code dataDir}: its Unix socket {@code run/jarvisd.sock} if it answers,
     * else loopback TCP on the port in {@code run/ipc.port} with the token in {@code run/ipc.token}.
     *
     * @throws DaemonNotFoundException if no daemon answers
     * @throws IOException             if the daemon refused the hello
     */
    public static JarvisClient connect(Path dataDir, ClientOptions options) throws IOException {
        JarvisClient client = new JarvisClient(dataDir, options);
        try {
            client.attach(client.open());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Whether the client is connected now. */
    public State state() {
        return state;
    }

    /** {@code "unix"} or {@code "tcp"}: how the current connection reached the daemon, or {@code null}. */
    public String transport() {
        Link l = link;
        return l == null ? null : l.transport();
    }

    /** Adds a listener for every event the daemon pushes; called on the client's event thread. */
    public void onEvent(Consumer<Event> listener) {
        eventListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeEventListener(Consumer<Event> listener) {
        eventListeners.remove(listener);
    }

    /** Adds a listener for connection changes (lost, re-established, closed); called on the event thread. */
    public void onStateChange(Consumer<State> listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public CompletableFuture<JsonNode> request(String command) {
        return request(command, Map.of());
    }

    /**
     * Sends a command. Parameter values may be strings, numbers, booleans, {@code null}, lists, maps,
     * Jackson nodes, or {@code char[]} (written as a JSON string without becoming a {@link String}; for
     * passwords). The request is encoded before this method returns, so a {@code char[]} may be wiped then.
     *
     * @return the whole response object ({@code "success": true} and the command's fields)
     */
    public CompletableFuture<JsonNode> request(String command, Map<String, ?> params) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(params, "params");
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        Link l = link;
        if (closed) {
            result.completeExceptionally(new ConnectionLostException("the client is closed"));
        } else if (l == null) {
            result.completeExceptionally(new ConnectionLostException("not connected to jarvisd (reconnecting)"));
        } else {
            send(l, command, params, options.requestTimeout(), result);
        }
        return result;
    }

    // --- typed helpers for the common commands ---

    public CompletableFuture<String> ping() {
        return request("ping").thenApply(r -> r.path("message").asText());
    }

    /** The daemon's status: identity state, version, services and features (see docs/ipc.md). */
    public CompletableFuture<JsonNode> status() {
        return request("status");
    }

    /** Creates the identity and leaves it unlocked; {@code password} is wiped before this returns. */
    public CompletableFuture<IdentityInfo> createIdentity(String username, char[] password) {
        try {
            return request("create_identity", params("username", username, "password", password))
                    .thenApply(r -> IdentityInfo.from(r.path("identity")));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Unlocks the identity; {@code password} is wiped before this returns. */
    public CompletableFuture<IdentityInfo> unlock(char[] password) {
        try {
            return request("unlock", params("password", password)).thenApply(r -> IdentityInfo.from(r.path("identity")));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    public CompletableFuture<Void> lock() {
        return request("lock").thenApply(r -> null);
    }

    public CompletableFuture<IdentityInfo> identity() {
        return request("get_identity").thenApply(r -> IdentityInfo.from(r.path("identity")));
    }

    public CompletableFuture<List<ContactInfo>> contacts() {
        return request("get_contacts").thenApply(r -> {
            List<ContactInfo> list = new ArrayList<>();
            r.path("contacts").forEach(c -> list.add(ContactInfo.from(c)));
            return List.copyOf(list);
        });
    }

    /** A contact by uid, or by user name when exactly one contact has it. */
    public CompletableFuture<ContactInfo> contact(String uidOrUsername) {
        return request("get_contact", params("uid", uidOrUsername)).thenApply(r -> ContactInfo.from(r.path("contact")));
    }

    /** Adds a contact by key; {@code endpoints} are {@code scheme://host:port} strings. */
    public CompletableFuture<ContactInfo> addContact(String uid, String username, String publicKey,
            List<String> endpoints) {
        return request("add_contact", params("uid", uid, "username", username, "public_key", publicKey, "endpoints",
                endpoints)).thenApply(r -> ContactInfo.from(r.path("contact")));
    }

    public CompletableFuture<Void> removeContact(String uid) {
        return request("remove_contact", params("uid", uid)).thenApply(r -> null);
    }

    public CompletableFuture<ContactInfo> verifyContact(String uid) {
        return request("verify_contact", params("uid", uid)).thenApply(r -> ContactInfo.from(r.path("contact")));
    }

    public CompletableFuture<ContactInfo> renameContact(String uid, String username) {
        return request("rename_contact", params("uid", uid, "username", username))
                .thenApply(r -> ContactInfo.from(r.path("contact")));
    }

    /** Asks the daemon to stop (after it answered). The client then reconnects in vain until closed. */
    public CompletableFuture<Void> shutdownDaemon() {
        return request("shutdown").thenApply(r -> null);
    }

    /** Disconnects; requests still waiting fail with {@link ConnectionLostException}. */
    @Override
    public void close() {
        Link l;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            l = link;
            link = null;
        }
        if (l != null) {
            l.close();
            failAll(l, "the client was closed");
        }
        setState(State.CLOSED);
        timer.shutdownNow();
        events.shutdown();
        callbacks.shutdown();
    }

    // --- connecting ---

    private Link open() throws IOException {
        Path run = dataDir.resolve("run");
        Path socket = run.resolve("jarvisd.sock");
        Path portFile = run.resolve("ipc.port");
        Path tokenFile = run.resolve("ipc.token");
        List<String> tried = new ArrayList<>();
        if (Files.exists(socket)) {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return hello(channel, "unix", null);
            } catch (IOException | UnsupportedOperationException e) {
                tried.add("Unix socket " + socket + ": " + e.getMessage());
            }
        }
        if (Files.exists(portFile)) {
            try {
                int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
                String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.socket().connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                            (int) options.connectTimeout().toMillis());
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return hello(channel, "tcp", token);
            } catch (IOException | NumberFormatException e) {
                tried.add("TCP port from " + portFile + ": " + e.getMessage());
            }
        }
        if (tried.isEmpty()) {
            tried.add("neither " + socket + " nor " + portFile + " exists");
        }
        throw new DaemonNotFoundException("no jarvisd answers for " + dataDir + ": " + String.join("; ", tried));
    }

    private Link hello(SocketChannel channel, String transport, String token) throws IOException {
        Link l = new Link(channel, transport, options.maxLineBytes());
        Thread reader = threads("jarvis-client-reader").newThread(() -> lost(l, l.readLines(line -> receive(l, line))));
        reader.start();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("version", PROTOCOL_VERSION);
        if (token != null) {
            params.put("token", token);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        send(l, "hello", params, options.connectTimeout(), answer);
        try {
            answer.get();
            return l;
        } catch (ExecutionException e) {
            l.close();
            Throwable cause = e.getCause();
            if (cause instanceof CommandFailedException refused) {
                throw new IOException("jarvisd refused the connection: " + refused.error());
            }
            throw new IOException("hello over " + transport + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            l.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        }
    }

    private void attach(Link l) throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                l.close();
                throw new ConnectionLostException("the client is closed");
            }
            if (l.isClosed()) {
                throw new ConnectionLostException("the connection to jarvisd ended during the hello");
            }
            link = l;
        }
        setState(State.CONNECTED);
    }

    /** The link ended (reader thread): fail what waits on it, and reconnect if it was the current one. */
    private void lost(Link l, IOException cause) {
        l.close();
        failAll(l, "connection to jarvisd lost: " + cause.getMessage());
        boolean current;
        synchronized (lifecycle) {
            current = link == l;
            if (current) {
                link = null;
            }
        }
        if (current && !closed) {
            LOG.log(System.Logger.Level.INFO, "connection to jarvisd lost: " + cause.getMessage());
            setState(State.DISCONNECTED);
            if (options.reconnect()) {
                scheduleReconnect(options.initialBackoff());
            }
        }
    }

    private void scheduleReconnect(Duration delay) {
        try {
            timer.schedule(() -> reconnect(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing to reconnect.
        }
    }

    private void reconnect(Duration delay) {
        if (closed) {
            return;
        }
        try {
            attach(open());
            LOG.log(System.Logger.Level.INFO, "reconnected to jarvisd");
        } catch (IOException e) {
            Duration next = delay.multipliedBy(2);
            scheduleReconnect(next.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : next);
        }
    }

    // --- requests and responses ---

    private void send(Link l, String command, Map<String, ?> params, Duration timeout,
            CompletableFuture<JsonNode> result) {
        long id = ids.incrementAndGet();
        byte[] line;
        try {
            line = encode(id, command, params);
        } catch (IOException | IllegalArgumentException e) {
            result.completeExceptionally(new IllegalArgumentException("cannot encode " + command + ": " + e.getMessage(), e));
            return;
        }
        Link.Pending pending = new Link.Pending(command, result);
        l.pending.put(id, pending);
        try {
            ScheduledFuture<?> timeoutTask = timer.schedule(() -> {
                if (l.pending.remove(id, pending)) {
                    result.completeExceptionally(new TimeoutException(
                            "jarvisd did not answer " + command + " within " + timeout.toMillis() + " ms"));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((r, e) -> timeoutTask.cancel(false));
            l.write(line);
        } catch (IOException e) {
            if (l.pending.remove(id, pending)) {
                result.completeExceptionally(new ConnectionLostException("cannot send " + command + ": " + e.getMessage(), e));
            }
        } catch (RejectedExecutionException e) {
            l.pending.remove(id, pending);
            result.completeExceptionally(new ConnectionLostException("the client is closed"));
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private byte[] encode(long id, String command, Map<String, ?> params) throws IOException {
        Link.LineBuffer out = new Link.LineBuffer();
        try {
            try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeNumberField("id", id);
                g.writeStringField("command", command);
                g.writeFieldName("params");
                writeValue(g, params);
                g.writeEndObject();
            }
            out.write('\n');
            return out.toByteArray();
        } finally {
            out.wipe();
        }
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof char[] chars) {
            g.writeString(chars, 0, chars.length);
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof Number || value instanceof Boolean || value instanceof JsonNode) {
            g.writeObject(value);
        } else {
            throw new IllegalArgumentException("unsupported parameter type " + value.getClass().getName());
        }
    }

    private void receive(Link l, byte[] line) {
        JsonNode message;
        try {
            message = mapper.readTree(line);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "jarvisd sent a line that is not JSON: " + e.getMessage());
            return;
        }
        if (message == null || !message.isObject()) {
            return;
        }
        if ("event".equals(message.path("type").asText())) {
            JsonNode data = message.get("data");
            Event event = new Event(message.path("event").asText(), data == null ? mapper.createObjectNode() : data);
            deliver(() -> eventListeners.forEach(listener -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event listener failed on " + event.name(), e);
                }
            }));
            return;
        }
        JsonNode id = message.get("id");
        if (id == null || !id.canConvertToLong()) {
            LOG.log(System.Logger.Level.WARNING, "jarvisd answered without a request id: " + message.path("error").asText());
            return;
        }
        Link.Pending pending = l.pending.remove(id.longValue());
        if (pending == null) {
            return;
        }
        if (message.path("success").asBoolean(false)) {
            complete(() -> pending.future().complete(message));
        } else {
            CommandFailedException failure = new CommandFailedException(pending.command(), message);
            complete(() -> pending.future().completeExceptionally(failure));
        }
    }

    private void failAll(Link l, String why) {
        for (Long id : List.copyOf(l.pending.keySet())) {
            Link.Pending p = l.pending.remove(id);
            if (p != null) {
                ConnectionLostException e = new ConnectionLostException(why + " (" + p.command() + " not answered)");
                complete(() -> p.future().completeExceptionally(e));
            }
        }
    }

    // Futures complete on a pool thread, so a caller's dependent stage never runs on (or blocks) the reader.
    private void complete(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private void deliver(Runnable delivery) {
        try {
            events.execute(delivery);
        } catch (RejectedExecutionException e) {
            // Closed: events after close are dropped.
        }
    }

    private void setState(State next) {
        state = next;
        deliver(() -> stateListeners.forEach(listener -> {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "state listener failed", e);
            }
        }));
    }

    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
