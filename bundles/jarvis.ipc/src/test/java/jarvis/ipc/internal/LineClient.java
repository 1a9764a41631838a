package jarvis.ipc.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A bare protocol client over a real socket: writes lines as given and hands back every line read,
 * so tests see exactly what the server sends (or that it closed). Not the client library.
 */
final class LineClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_SECONDS = 10;
    private static final JsonNode END = JSON.createObjectNode().put("__end", true);

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closedByServer = new CompletableFuture<>();
    final AtomicLong bytesRead = new AtomicLong();
    private final boolean reading;

    private LineClient(SocketChannel channel, boolean read) {
        this.channel = channel;
        this.reading = read;
        if (read) {
            Thread reader = new Thread(this::readLoop, "line-client-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    static LineClient unix(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new LineClient(ch, true);
    }

    static LineClient tcp(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new LineClient(ch, true);
    }

    /** A client that never reads after construction (for the stuck-client test). */
    static LineClient unixNotReading(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new LineClient(ch, false);
    }

    /** Unix-socket client past its hello. */
    static LineClient unixHello(Path socket) throws IOException {
        LineClient c = unix(socket);
        c.send("{\"id\":0,\"command\":\"hello\",\"params\":{\"version\":1}}");
        assertThat(c.next().path("success").asBoolean()).as("hello accepted").isTrue();
        return c;
    }

    /** TCP client past its hello, with the token from the run directory. */
    static LineClient tcpHello(Path data, int port) throws IOException {
        LineClient c = tcp(port);
        String token = Files.readString(data.resolve("run").resolve(RunFiles.TOKEN)).trim();
        c.send("{\"id\":0,\"command\":\"hello\",\"params\":{\"version\":1,\"token\":\"" + token + "\"}}");
        assertThat(c.next().path("success").asBoolean()).as("hello accepted").isTrue();
        return c;
    }

    void send(String line) throws IOException {
        write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        synchronized (channel) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    /** Sends a request and returns its response (events are kept apart for {@link #nextEvent}). */
    JsonNode call(Object id, String command, String paramsJson) throws IOException {
        String idJson = id instanceof String s ? JSON.writeValueAsString(s) : String.valueOf(id);
        send("{\"id\":" + idJson + ",\"command\":\"" + command + "\",\"params\":" + paramsJson + "}");
        JsonNode line = next();
        assertThat(line.get("id").asText()).isEqualTo(String.valueOf(id));
        return line;
    }

    JsonNode call(Object id, String command) throws IOException {
        return call(id, command, "{}");
    }

    /** The next line that is not an event; fails the test if none comes or the server closed. */
    JsonNode next() {
        JsonNode line = poll(lines);
        if (line == END) {
            fail("the server closed the connection");
        }
        return line;
    }

    /** The data of the next event with this name, skipping other events. */
    JsonNode nextEvent(String name) {
        while (true) {
            JsonNode event = poll(events);
            if (event == END) {
                fail("the server closed the connection");
            }
            if (name.equals(event.path("event").asText())) {
                return event.path("data");
            }
        }
    }

    /** Asserts the server closes the connection (after any lines still in flight). */
    void assertClosedByServer() {
        while (poll(lines) != END) {
            // Lines before the end are not what this assertion is about.
        }
    }

    private static JsonNode poll(BlockingQueue<JsonNode> queue) {
        try {
            JsonNode line = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("nothing from the server within " + WAIT_SECONDS + " s");
            }
            if (line == END) {
                queue.add(END);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads everything the server still sends until it closes; returns the number of bytes. */
    long drainUntilClosed() throws Exception {
        assertThat(reading).as("drain is for the non-reading client").isFalse();
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            try {
                while (true) {
                    b.clear();
                    int n = channel.read(b);
                    if (n < 0) {
                        return total;
                    }
                    total += n;
                }
            } catch (IOException e) {
                return total;
            }
        });
        // If the server never closes, the read blocks until the test closes the channel.
        return drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void readLoop() {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            while (true) {
                b.clear();
                int n = channel.read(b);
                if (n < 0) {
                    break;
                }
                bytesRead.addAndGet(n);
                for (int i = 0; i < b.position(); i++) {
                    byte c = b.get(i);
                    if (c == '\n') {
                        JsonNode node = JSON.readTree(line.toByteArray());
                        ("event".equals(node.path("type").asText()) ? events : lines).add(node);
                        line.reset();
                    } else {
                        line.write(c);
                    }
                }
            }
        } catch (IOException e) {
            // A reset counts as closed, as for any client.
        }
        lines.add(END);
        events.add(END);
        closedByServer.complete(null);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
