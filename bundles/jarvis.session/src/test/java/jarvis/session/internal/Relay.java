package jarvis.session.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import jarvis.api.Endpoint;

/**
 * A man in the middle on 127.0.0.1: relays transport frames between a dialer and a target, keeps a copy of
 * every byte, and lets a test drop, change, repeat, reorder or inject frames. In blackhole mode it swallows
 * everything and keeps both sockets open, like a path that silently died.
 */
final class Relay implements AutoCloseable {

    /** Given (from the dialer?, frame), the frames to pass on instead. */
    interface Tamper extends BiFunction<Boolean, byte[], List<byte[]>> {
    }

    static final Tamper PASS = (fromDialer, frame) -> List.of(frame);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    volatile Tamper tamper = PASS;
    volatile boolean blackhole;

    Relay(Endpoint target) throws IOException {
        this.target = new InetSocketAddress(target.host(), target.port());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Endpoint endpoint() {
        return Endpoint.tcp("127.0.0.1", server.getLocalPort());
    }

    byte[] seen() {
        synchronized (seen) {
            return seen.toByteArray();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket dialer = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(dialer);
                sockets.add(upstream);
                pump(dialer, upstream, true);
                pump(upstream, dialer, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromDialer) {
        Thread t = new Thread(() -> {
            try (DataInputStream in = new DataInputStream(from.getInputStream())) {
                DataOutputStream out = new DataOutputStream(to.getOutputStream());
                while (true) {
                    int length = in.readInt();
                    byte[] frame = new byte[length];
                    in.readFully(frame);
                    synchronized (seen) {
                        seen.writeBytes(frame);
                    }
                    if (blackhole) {
                        continue;
                    }
                    synchronized (to) {
                        for (byte[] f : tamper.apply(fromDialer, frame)) {
                            out.writeInt(f.length);
                            out.write(f);
                        }
                        out.flush();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // A dead path keeps the other side open; otherwise the close travels on as TCP would carry it.
                if (!blackhole) {
                    closeQuietly(to);
                    closeQuietly(from);
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Writes a frame of our own into every relayed connection, towards the dialer or the target. */
    void inject(boolean towardsTarget, byte[] frame) throws IOException {
        for (int i = towardsTarget ? 1 : 0; i < sockets.size(); i += 2) {
            Socket s = sockets.get(i);
            if (s.isClosed()) {
                continue;
            }
            synchronized (s) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
