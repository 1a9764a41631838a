package jarvis.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One open connection to the daemon: a blocking socket channel (Unix or TCP), a reader thread that
 * splits lines, and the requests waiting for an answer on it. Reads and writes use the channel
 * directly (not {@code Channels.newInputStream}, whose streams serialise reads and writes on JDK 17).
 */
final class Link {

    /** A request waiting for its response. */
    record Pending(String command, CompletableFuture<com.fasterxml.jackson.databind.JsonNode> future) {
    }

    private final SocketChannel channel;
    private final String transport;
    private final int maxLineBytes;
    private final Object writeLock = new Object();
    final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Link(SocketChannel channel, String transport, int maxLineBytes) {
        this.channel = channel;
        this.transport = transport;
        this.maxLineBytes = maxLineBytes;
    }

    String transport() {
        return transport;
    }

    void write(byte[] line) throws IOException {
        synchronized (writeLock) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Reads lines until the connection ends, handing each to {@code onLine}; returns the reason it ended.
     * Runs on the link's reader thread.
     */
    IOException readLines(Consumer<byte[]> onLine) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        LineBuffer line = new LineBuffer();
        try {
            while (true) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    return new ConnectionLostException("jarvisd closed the connection");
                }
                byte[] data = buffer.array();
                int start = 0;
                for (int i = 0; i < buffer.position(); i++) {
                    if (data[i] == '\n') {
                        line.write(data, start, i - start);
                        onLine.accept(line.toByteArray());
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(data, start, buffer.position() - start);
                if (line.size() > maxLineBytes) {
                    return new ConnectionLostException("jarvisd sent a line longer than " + maxLineBytes + " bytes");
                }
            }
        } catch (IOException e) {
            return closed ? new ConnectionLostException("connection closed") : e;
        }
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket that is already broken has nothing left to report.
        }
    }

    /** Growable line buffer whose bytes can be zeroed (request lines may carry a password). */
    static final class LineBuffer extends ByteArrayOutputStream {
        void wipe() {
            Arrays.fill(buf, (byte) 0);
        }
    }
}
