package jarvis.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One real daemon of the distribution ({@code bin/jarvis daemon start}) with its own installation, data
 * directory and P2P port, driven over IPC: identity, contacts, sends, history, and the faults a system
 * test injects into the process itself ({@code kill -9}, restart).
 *
 * <p>The session and messaging timings are shortened through their documented configuration
 * ({@code keepalive.seconds}, {@code dead.seconds}, backoff, {@code resend.seconds}) so that a broken link
 * is noticed and redialled within seconds instead of minutes.
 */
final class DaemonNode implements AutoCloseable {

    final String name;
    final CliInstall install;
    final int port;
    private final char[] password;
    private final List<ProcessHandle> processes = new ArrayList<>();
    private JsonIpc ipc;
    private String uid;
    private String publicKey;

    private DaemonNode(String name, CliInstall install, int port) {
        this.name = name;
        this.install = install;
        this.port = port;
        this.password = ("password of " + name).toCharArray();
    }

    /** Unpacks an installation listening on a free loopback port; {@code data} overrides the data directory. */
    static DaemonNode create(String name, Path cache, Path data) throws Exception {
        CliInstall install = data == null ? CliInstall.unpack(name, cache) : CliInstall.unpack(name, cache, data);
        int port = CliInstall.freePort();
        install.writeConf("jarvis.ipc", "ipc.port = 0");
        install.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + port);
        install.writeConf("jarvis.session", "keepalive.seconds = 1", "dead.seconds = 3", "handshake.timeout.seconds = 3",
                "backoff.initial.seconds = 1", "backoff.max.seconds = 2", "backoff.reset.seconds = 5");
        install.writeConf("jarvis.messaging", "resend.seconds = 3");
        return new DaemonNode(name, install, port);
    }

    /**
     * Starts both daemons with new identities and makes them verified contacts of each other, each reaching the
     * other at the given endpoint (the other daemon itself, or a proxy in front of it).
     */
    static void connect(DaemonNode a, DaemonNode b, String bForA, String aForB) throws Exception {
        a.start();
        b.start();
        a.createIdentity();
        b.createIdentity();
        b.addContact(a, aForB);
        a.addContact(b, bForA);
    }

    /** Starts the daemon process (the CLI returns once it serves IPC) and connects. */
    void start() throws Exception {
        CliInstall.Result r = install.run("daemon", "start");
        if (r.code() != 0) {
            throw new AssertionError(name + ": daemon start failed: " + r);
        }
        processes.addAll(install.daemons());
        ipc = JsonIpc.open(install.data.resolve("run/jarvisd.sock"));
    }

    void createIdentity() throws Exception {
        JsonNode r = ipc.call("create_identity", JsonIpc.params().put("username", name).put("password", new String(password)));
        uid = r.path("identity").path("uid").asText();
        publicKey = ipc.call("get_identity", null).path("identity").path("public_key").asText();
    }

    void unlock() throws Exception {
        ipc.call("unlock", JsonIpc.params().put("password", new String(password)));
    }

    /** Adds {@code other} as a verified contact, reached at {@code endpoint} (null: never dialled from here). */
    void addContact(DaemonNode other, String endpoint) throws Exception {
        ObjectNode p = JsonIpc.params().put("uid", other.uid).put("username", other.name).put("public_key", other.publicKey)
                .put("verified", true);
        if (endpoint != null) {
            p.putArray("endpoints").add(endpoint);
        }
        ipc.call("add_contact", p);
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + port;
    }

    String uid() {
        return uid;
    }

    JsonIpc ipc() {
        return ipc;
    }

    long pid() throws IOException {
        return install.pidFromFile();
    }

    /** {@code kill -9}: SIGKILL to the daemon's process, then waits (bounded) until the kernel has reaped it. */
    void kill9() throws Exception {
        ProcessHandle daemon = ProcessHandle.of(pid()).orElseThrow(() -> new AssertionError(name + " is not running"));
        if (!daemon.destroyForcibly()) {
            throw new AssertionError("SIGKILL to " + daemon.pid() + " was refused");
        }
        daemon.onExit().get(30, TimeUnit.SECONDS);
        ipc.close();
    }

    /** Starts again after a kill or a stop, and unlocks. */
    void restart() throws Exception {
        start();
        unlock();
    }

    void stop() throws Exception {
        if (ipc != null) {
            ipc.close();
        }
        CliInstall.Result r = install.run("daemon", "stop");
        if (r.code() != 0) {
            throw new AssertionError(name + ": daemon stop failed: " + r);
        }
    }

    /**
     * Every message of the conversation with {@code contactUid}, oldest first, paged backwards with
     * {@code before} as docs/ipc.md describes.
     */
    List<JsonNode> history(String contactUid) throws Exception {
        List<List<JsonNode>> pages = new ArrayList<>();
        String before = null;
        while (true) {
            ObjectNode p = JsonIpc.params().put("uid", contactUid).put("limit", 500);
            if (before != null) {
                p.put("before", before);
            }
            JsonNode r = ipc.call("get_messages", p);
            List<JsonNode> page = new ArrayList<>();
            r.path("messages").forEach(page::add);
            pages.add(0, page);
            if (!r.path("more").asBoolean() || page.isEmpty()) {
                break;
            }
            before = page.get(0).path("message_id").asText();
        }
        List<JsonNode> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }

    int unread(String contactUid) throws Exception {
        return ipc.call("get_unread_count", JsonIpc.params().put("uid", contactUid)).path("count").asInt();
    }

    @Override
    public void close() {
        // A test that failed half-way leaves its daemons running: no process outlives the test.
        try {
            if (ipc != null) {
                ipc.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        processes.addAll(install.daemons());
        processes.forEach(ProcessHandle::destroyForcibly);
    }
}
