package jarvis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.client.IdentityInfo;
import jarvis.client.JarvisClient;

/**
 * One real daemon of the distribution ({@code bin/jarvisd}) in a process of its own, with its own data
 * directory and TCP port on 127.0.0.1, and the load driver's IPC client on it. Everything it is told goes
 * through IPC, as a user interface would do it.
 */
final class JarvisdNode implements AutoCloseable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    final String name;
    final Path data;
    final int port;
    private final Process process;
    final long readyMillis;
    JarvisClient client;
    String uid;

    private JarvisdNode(String name, Path data, int port, Process process, long readyMillis) {
        this.name = name;
        this.data = data;
        this.port = port;
        this.process = process;
        this.readyMillis = readyMillis;
    }

    /**
     * Starts {@code dist/bin/jarvisd} on a fresh data directory under {@code root}, with the TCP transport and
     * the advertised endpoint on a free loopback port and IPC on its Unix socket, and waits for its ready file.
     */
    static JarvisdNode start(Path dist, Path root, String name, String jvmOptions) throws IOException {
        Path data = Files.createDirectories(root.resolve(name));
        Path conf = Files.createDirectories(data.resolve("etc/conf"));
        int port = freePort();
        String endpoint = "tcp://127.0.0.1:" + port;
        // A client is disconnected when more than max.queued.events lines wait for its socket; a group commit of
        // 512 received messages announces them at once, faster than any client drains a socket, so the driver's
        // clients get room for a few such batches.
        Files.writeString(conf.resolve("jarvis.ipc.cfg"),
                "ipc.port = 0\nmax.queued.events = 16384\nmax.queued.bytes = 67108864\n");
        Files.writeString(conf.resolve("jarvis.transport.tcp.cfg"), "transport.listen = " + endpoint + "\n");
        Files.writeString(conf.resolve("jarvis.contacts.cfg"), "advertised.endpoints = " + endpoint + "\n");
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/jarvisd").toString(), "--data-dir", data.toString());
        pb.environment().put("JARVIS_JAVA_OPTS", jvmOptions.replace("{name}", name));
        pb.redirectErrorStream(true);
        pb.redirectOutput(root.resolve(name + ".out").toFile());
        long start = System.nanoTime();
        Process process = pb.start();
        Path ready = data.resolve("run/jarvisd.ready");
        while (!Files.exists(ready)) {
            if (!process.isAlive()) {
                throw new IOException(name + ": jarvisd exited with " + process.exitValue() + " before it was ready; see "
                        + root.resolve(name + ".out") + " and " + data.resolve("logs"));
            }
            if (System.nanoTime() - start > START_TIMEOUT_NANOS) {
                process.destroyForcibly();
                throw new IOException(name + ": jarvisd not ready after " + TimeUnit.NANOSECONDS.toSeconds(START_TIMEOUT_NANOS) + " s");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        JarvisdNode node = new JarvisdNode(name, data, port, process, readyMillis);
        node.client = JarvisClient.connect(data);
        return node;
    }

    long pid() {
        return process.pid();
    }

    /** Creates the identity (which leaves it unlocked) and returns the time it took. */
    long createIdentity(char[] password) {
        long t = System.nanoTime();
        IdentityInfo id = client.createIdentity(name, password.clone()).join();
        uid = id.uid();
        return System.nanoTime() - t;
    }

    String linkCode() {
        return client.request("get_link_code").join().path("link_code").asText();
    }

    void addLink(String code) {
        client.request("add_contact_link", Map.of("link_code", code)).join();
    }

    boolean online(String contactUid) {
        JsonNode r = client.request("get_connection_status", Map.of("uid", contactUid)).join();
        return "ONLINE".equals(r.path("state").asText());
    }

    /** Waits (bounded) until the session to {@code contactUid} is ONLINE. */
    void awaitOnline(String contactUid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!online(contactUid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": no session to " + contactUid + " within " + timeout);
            }
            LockSupport.parkNanos(POLL_NANOS * 5);
        }
    }

    /** Locks, then unlocks over IPC; returns the unlock's duration (the request's round trip) in nanoseconds. */
    long lockThenUnlock(char[] password) {
        client.lock().join();
        long t = System.nanoTime();
        client.unlock(password.clone()).join();
        return System.nanoTime() - t;
    }

    /** VmRSS of the daemon process in bytes, or -1 if unreadable. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time (user + system) the daemon process used so far, in milliseconds, or -1. */
    long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /** Asks the daemon to stop over IPC and waits for its exit (bounded); kills it if it does not go. */
    @Override
    public void close() {
        try {
            if (client != null) {
                client.shutdownDaemon().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // Killed below if it did not exit.
        }
        if (client != null) {
            client.close();
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
