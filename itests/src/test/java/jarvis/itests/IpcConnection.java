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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw IPC client over the daemon's Unix socket, speaking JSON lines as docs/ipc.md gives them. A
 * reader thread queues every line, so a test can wait for a response or an event with a timeout.
 */
final class IpcConnection implements Closeable {

    /** Marks the end of the stream in the queue. */
    static final String CLOSED = "<closed>";

    private final SocketChannel channel;
    private final Writer out;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    IpcConnection(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        out = Channels.newWriter(channel, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = in.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the connection went away; CLOSED below says so
            }
            lines.add(CLOSED);
        }, "ipc-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void send(int id, String command, String params) throws IOException {
        out.write("{\"id\":" + id + ",\"command\":\"" + command + "\",\"params\":" + params + "}\n");
        out.flush();
    }

    /** The first queued line containing {@code text}, or {@link #CLOSED}; fails after the timeout. */
    String await(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line containing '" + text + "' within " + seconds + " s");
            }
            if (line.contains(text) || line.equals(CLOSED)) {
                return line;
            }
        }
    }

    String call(int id, String command, String params) throws IOException, InterruptedException {
        send(id, command, params);
        return await("\"id\":" + id + ",", 30);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
