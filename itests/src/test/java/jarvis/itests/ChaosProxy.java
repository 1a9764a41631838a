package jarvis.itests;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between two daemons' jarvis/2 transports that misbehaves on command. It has one
 * route per direction of dialling: each daemon's stored endpoint for the other is a route, so whoever
 * dials, the session crosses the proxy. The faults:
 * <ul>
 * <li><b>drop</b> — for a while, bytes are silently discarded; a connection that lost bytes keeps losing
 * them (as a black-holed path does) until the daemons give it up, and new connections pass once the
 * while is over;
 * <li><b>delay</b> — every chunk is forwarded after a fixed delay, in order;
 * <li><b>reset</b> — every open connection is closed abruptly on both sides (RST);
 * <li><b>truncate</b> — the next record frame is cut in the middle, then both sides are reset;
 * <li><b>corrupt</b> — one bit of the next record frame's body is flipped.
 * </ul>
 * It knows the transport's framing (a u32be length, then the frame; the frame's first byte 0x01 for a
 * handshake, 0x02 for a record, docs/protocol.md) so that truncation and corruption hit a record of an
 * established session, where they must be detected and reported. One thread per direction reads, one
 * writes (the delay line); all are daemon threads ended by {@link #close()}.
 */
final class ChaosProxy implements Closeable {

    private static final int RECORD_FRAME = 0x02;

    private final Set<ServerSocket> servers = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(20261127);
    private volatile long dropUntilNanos;
    private volatile long delayNanos;
    /** Armed faults: each is taken by the first record frame that passes, in either direction. */
    private final AtomicInteger truncations = new AtomicInteger();
    private final AtomicInteger corruptions = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger truncated = new AtomicInteger();
    final AtomicInteger corrupted = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicLong droppedBytes = new AtomicLong();
    /** Corrupted frames by the P2P port of the daemon that received them. */
    private final Map<Integer, AtomicInteger> corruptedFor = new ConcurrentHashMap<>();

    /**
     * A route: a new loopback port forwarding to {@code targetPort}, for connections that the daemon listening
     * on {@code dialerPort} makes. Every route shares the faults. Returns the route's endpoint.
     */
    String route(int targetPort, int dialerPort) throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread acceptor = new Thread(() -> acceptLoop(server, target, dialerPort), "chaos-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Record frames corrupted on their way to the daemon listening on {@code port}. */
    int corruptedFor(int port) {
        return corruptedFor.computeIfAbsent(port, p -> new AtomicInteger()).get();
    }

    /** Discards everything for the given time (and on the connections that lost bytes, until they close). */
    void dropFor(long millis) {
        dropUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    void delay(long millis) {
        delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Resets every open connection now. */
    void resetAll() {
        resets.incrementAndGet();
        connections.forEach(Connection::abort);
    }

    void truncateNextRecord() {
        truncations.incrementAndGet();
    }

    void corruptNextRecord() {
        corruptions.incrementAndGet();
    }

    /** Back to a faithful proxy (armed faults not yet taken are disarmed). */
    void heal() {
        dropUntilNanos = 0;
        delayNanos = 0;
        truncations.set(0);
        corruptions.set(0);
    }

    private void acceptLoop(ServerSocket server, InetSocketAddress target, int dialerPort) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                accepted.incrementAndGet();
                Connection c = new Connection(client, upstream, target.getPort(), dialerPort);
                connections.add(c);
                c.start();
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
        connections.forEach(Connection::abort);
    }

    /** One proxied connection: two directions, each a reader and a delay-line writer. */
    private final class Connection {
        final Socket client;
        final Socket upstream;
        final int targetPort;
        final int dialerPort;
        volatile boolean blackholed;

        Connection(Socket client, Socket upstream, int targetPort, int dialerPort) {
            this.client = client;
            this.upstream = upstream;
            this.targetPort = targetPort;
            this.dialerPort = dialerPort;
        }

        void start() throws IOException {
            new Direction(this, client.getInputStream(), upstream.getOutputStream(), targetPort).start();
            new Direction(this, upstream.getInputStream(), client.getOutputStream(), dialerPort).start();
        }

        /** RST on both sides: SO_LINGER 0 makes close() abortive. */
        void abort() {
            for (Socket s : new Socket[] {client, upstream}) {
                try {
                    s.setSoLinger(true, 0);
                    s.close();
                } catch (IOException e) {
                    // already closed
                }
            }
            connections.remove(this);
        }
    }

    private static final class Chunk implements Delayed {
        final byte[] bytes;
        final long due;
        final long sequence;

        Chunk(byte[] bytes, long due, long sequence) {
            this.bytes = bytes;
            this.due = due;
            this.sequence = sequence;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Chunk c = (Chunk) o;
            return due != c.due ? Long.compare(due, c.due) : Long.compare(sequence, c.sequence);
        }
    }

    /** One direction: parses the framing as bytes pass and applies the armed faults. */
    private final class Direction {
        private final Connection connection;
        private final InputStream in;
        private final OutputStream out;
        /** The P2P port of the daemon these bytes go to. */
        private final int towards;
        private final DelayQueue<Chunk> line = new DelayQueue<>();
        private long lastDue;
        private long sequence;
        // framing state
        private final byte[] header = new byte[4];
        private int headerFill;
        private int frameLength;
        private int bodyPos;
        private int frameType;
        private int corruptAt = -1;
        private int truncateAt = -1;

        Direction(Connection connection, InputStream in, OutputStream out, int towards) {
            this.connection = connection;
            this.in = in;
            this.out = out;
            this.towards = towards;
        }

        void start() {
            Thread reader = new Thread(this::readLoop, "chaos-proxy-read-" + towards);
            Thread writer = new Thread(this::writeLoop, "chaos-proxy-write-" + towards);
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void readLoop() {
            byte[] buf = new byte[16384];
            try {
                for (int n; (n = in.read(buf)) > 0;) {
                    if (connection.blackholed || System.nanoTime() < dropUntilNanos) {
                        connection.blackholed = true;
                        droppedBytes.addAndGet(n);
                        continue;
                    }
                    byte[] chunk = Arrays.copyOf(buf, n);
                    int cut = walk(chunk);
                    if (cut >= 0) {
                        enqueue(Arrays.copyOf(chunk, cut));
                        enqueue(null);
                        return;
                    }
                    enqueue(chunk);
                }
            } catch (IOException e) {
                // the other side went away
            }
            enqueue(null);
        }

        /** Tracks frame boundaries, flips an armed bit in place; returns where to cut the stream, or -1. */
        private int walk(byte[] chunk) {
            for (int i = 0; i < chunk.length; i++) {
                if (headerFill < 4) {
                    header[headerFill++] = chunk[i];
                    if (headerFill == 4) {
                        frameLength = ((header[0] & 0xFF) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8)
                                | (header[3] & 0xFF);
                        bodyPos = 0;
                        corruptAt = -1;
                        truncateAt = -1;
                        if (frameLength == 0) {
                            headerFill = 0;
                        }
                    }
                    continue;
                }
                if (bodyPos == 0) {
                    frameType = chunk[i] & 0xFF;
                    if (frameType == RECORD_FRAME && frameLength > 2) {
                        if (take(truncations)) {
                            truncateAt = frameLength / 2;
                        } else if (take(corruptions)) {
                            synchronized (random) {
                                corruptAt = 1 + random.nextInt(frameLength - 1);
                            }
                        }
                    }
                }
                if (bodyPos == truncateAt) {
                    truncated.incrementAndGet();
                    return i;
                }
                if (bodyPos == corruptAt) {
                    int bit;
                    synchronized (random) {
                        bit = random.nextInt(8);
                    }
                    chunk[i] ^= (byte) (1 << bit);
                    corrupted.incrementAndGet();
                    corruptedFor.computeIfAbsent(towards, p -> new AtomicInteger()).incrementAndGet();
                }
                bodyPos++;
                if (bodyPos == frameLength) {
                    headerFill = 0;
                }
            }
            return -1;
        }

        private boolean take(AtomicInteger armed) {
            return armed.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
        }

        /** Queues a chunk (null: the end) behind every earlier one, however the delay changed meanwhile. */
        private synchronized void enqueue(byte[] bytes) {
            long due = Math.max(System.nanoTime() + delayNanos, lastDue);
            lastDue = due;
            line.add(new Chunk(bytes, due, sequence++));
        }

        private void writeLoop() {
            try {
                while (true) {
                    Chunk c = line.take();
                    if (c.bytes == null) {
                        break;
                    }
                    out.write(c.bytes);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // One direction ended (a close, a cut or an error): the connection ends abruptly, as after a reset.
            connection.abort();
        }
    }
}
