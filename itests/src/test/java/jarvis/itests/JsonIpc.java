package jarvis.itests;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A pipelining IPC client over a daemon's Unix socket (docs/ipc.md): many requests in flight, responses
 * matched by id as they come (in any order), events handed to listeners on the reader thread. When the
 * daemon goes away every pending request fails with {@link IOException}, which is how a burst tells an
 * acknowledged send from one that never got its answer.
 */
final class JsonIpc implements Closeable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long CALL_SECONDS = 60;

    private final SocketChannel channel;
    private final Writer out;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private JsonIpc(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        out = Channels.newWriter(channel, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> read(in), "ipc-json-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects and says hello; the daemon's socket is for its owner only, so no token. */
    static JsonIpc open(Path socket) throws Exception {
        JsonIpc ipc = new JsonIpc(socket);
        ipc.call("hello", JSON.createObjectNode().put("version", 1));
        return ipc;
    }

    void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    private void read(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null;) {
                JsonNode node = JSON.readTree(line);
                if ("event".equals(node.path("type").asText())) {
                    for (Consumer<JsonNode> l : listeners) {
                        l.accept(node);
                    }
                } else if (node.path("id").canConvertToLong()) {
                    CompletableFuture<JsonNode> f = pending.remove(node.path("id").asLong());
                    if (f != null) {
                        f.complete(node);
                    }
                }
            }
        } catch (IOException e) {
            // the daemon went away: the pending requests fail below
        } finally {
            closed = true;
            IOException lost = new IOException("the daemon closed the IPC connection");
            pending.values().forEach(f -> f.completeExceptionally(lost));
            pending.clear();
        }
    }

    /** Sends a request; the future completes with the response line, or fails if the connection is lost. */
    CompletableFuture<JsonNode> request(String command, ObjectNode params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode line = JSON.createObjectNode().put("id", id).put("command", command);
        line.set("params", params == null ? JSON.createObjectNode() : params);
        try {
            synchronized (out) {
                out.write(line.toString());
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        if (closed && pending.remove(id) != null) {
            f.completeExceptionally(new IOException("the daemon closed the IPC connection"));
        }
        return f;
    }

    /** A request that must succeed; its response. */
    JsonNode call(String command, ObjectNode params) throws Exception {
        JsonNode r = answer(command, params);
        if (!r.path("success").asBoolean()) {
            throw new AssertionError(command + " failed: " + r);
        }
        return r;
    }

    /** A request's response, whether it succeeded or not. */
    JsonNode answer(String command, ObjectNode params) throws Exception {
        try {
            return request(command, params).get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(command + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(command + ": no response within " + CALL_SECONDS + " s");
        }
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
