package jarvis.ipc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import jarvis.api.ConnectionState;
import jarvis.api.session.SecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The IPC server over real sockets, with the real identity, store and contact components behind it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcServerTest {

    // The X25519 base point's encoding: a valid public key (as in the contact book's tests).
    static final String BOB_UID = "0123456789abcdef0123456789abcdef";
    static final String BOB_KEY = "0900000000000000000000000000000000000000000000000000000000000000";

    @TempDir
    Path data;

    private TestDaemon daemon;
    private final List<LineClient> clients = new ArrayList<>();

    private IpcServer start(IpcSettings settings) throws IOException {
        daemon = new TestDaemon(data);
        return daemon.start(settings);
    }

    private LineClient track(LineClient c) {
        clients.add(c);
        return c;
    }

    private Path socket() {
        return data.resolve("run").resolve(RunFiles.SOCKET);
    }

    @AfterEach
    void stop() throws IOException {
        for (LineClient c : clients) {
            c.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void socketAndTokenFilesArePrivateAndGoneAfterStop() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        Path run = data.resolve("run");
        Path token = run.resolve(RunFiles.TOKEN);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Files.readString(token).trim()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(run.resolve(RunFiles.PORT)).trim()).isEqualTo(String.valueOf(server.tcpPort()));

        String firstToken = Files.readString(token);
        daemon.stopServer();
        assertThat(run.resolve(RunFiles.SOCKET)).doesNotExist();
        assertThat(token).doesNotExist();
        assertThat(run.resolve(RunFiles.PORT)).doesNotExist();

        daemon.start(TestDaemon.settings());
        assertThat(Files.readString(token)).as("a new token at every start").isNotEqualTo(firstToken);
    }

    @Test
    void staleSocketFileIsReplacedAtStart() throws Exception {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "left by a killed daemon");
        start(TestDaemon.settings());

        LineClient c = track(LineClient.unixHello(socket()));
        assertThat(c.call(1, "ping").path("message").asText()).isEqualTo("pong");
    }

    @Test
    void unixClientNeedsNoTokenAndHelloNamesTheProtocol() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unix(socket()));

        JsonNode hello = c.call("h", "hello", "{\"version\":1}");

        assertThat(hello.path("success").asBoolean()).isTrue();
        assertThat(hello.path("server").asText()).isEqualTo("jarvisd");
        assertThat(hello.path("version").asInt()).isEqualTo(1);
        assertThat(hello.path("protocol").toString()).isEqualTo("[1]");
    }

    @Test
    void wrongTokenIsRefusedAndTheConnectionClosed() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        LineClient c = track(LineClient.tcp(server.tcpPort()));

        JsonNode answer = c.call(1, "hello", "{\"version\":1,\"token\":\"" + "0".repeat(64) + "\"}");

        assertThat(answer.path("success").asBoolean()).isFalse();
        assertThat(answer.path("error").asText()).isEqualTo("Invalid token");
        c.assertClosedByServer();
    }

    @Test
    void tcpClientWithoutHelloIsRefused() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        LineClient noHello = track(LineClient.tcp(server.tcpPort()));
        JsonNode answer = noHello.call(7, "status");
        assertThat(answer.path("error").asText()).isEqualTo("Expected hello first");
        noHello.assertClosedByServer();

        LineClient noToken = track(LineClient.tcp(server.tcpPort()));
        assertThat(noToken.call(8, "hello", "{\"version\":1}").path("error").asText()).isEqualTo("Invalid token");
        noToken.assertClosedByServer();
    }

    @Test
    void clientThatNeverSaysHelloIsDisconnected() throws Exception {
        IpcServer server = start(new IpcSettings(0, true, true, 1024 * 1024, 1024, 1 << 24, 2, 64, 1));
        LineClient silent = track(LineClient.tcp(server.tcpPort()));

        assertThat(silent.next().path("error").asText()).isEqualTo("No hello within 1 s");
        silent.assertClosedByServer();
    }

    @Test
    void tcpClientWithTheTokenIsServedAndIdsAreEchoedAsSent() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        LineClient c = track(LineClient.tcpHello(data, server.tcpPort()));

        c.send("{\"id\":\"req-\\u00e9\",\"command\":\"ping\"}");
        assertThat(c.next().get("id").textValue()).isEqualTo("req-é");
        c.send("{\"id\":9007199254740993,\"command\":\"ping\"}");
        assertThat(c.next().get("id").longValue()).isEqualTo(9007199254740993L);
        c.send("{\"id\":{\"x\":1},\"command\":\"ping\"}");
        JsonNode bad = c.next();
        assertThat(bad.get("id").isNull()).isTrue();
        assertThat(bad.path("error").asText()).isEqualTo("Invalid request id: a string or a number");
    }

    @Test
    void hundredConcurrentRequestsOnOneConnectionCompleteWithMatchingIds() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));
        String[] commands = {"ping", "status", "nope", "get_contacts"};

        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            burst.append("{\"id\":").append(i).append(",\"command\":\"").append(commands[i % 4]).append("\"}\n");
        }
        c.write(burst.toString().getBytes(StandardCharsets.UTF_8));

        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            JsonNode r = c.next();
            int id = r.get("id").intValue();
            assertThat(ids.add(id)).as("id " + id + " answered once").isTrue();
            // Each answer is the one for its own request: the fields tell the command apart.
            switch (commands[id % 4]) {
                case "ping" -> assertThat(r.path("message").asText()).isEqualTo("pong");
                case "status" -> assertThat(r.path("daemon").path("name").asText()).isEqualTo("jarvisd");
                case "nope" -> assertThat(r.path("error").asText()).isEqualTo("Unknown command: nope");
                default -> assertThat(r.path("locked").asBoolean()).isTrue();
            }
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void malformedJsonIsAnsweredAndTheConnectionStaysUsable() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));

        c.send("{\"id\":1,\"command\":");
        JsonNode invalid = c.next();
        assertThat(invalid.get("id").isNull()).isTrue();
        assertThat(invalid.path("success").asBoolean()).isFalse();
        assertThat(invalid.path("error").asText()).isEqualTo("Invalid JSON");
        c.send("[1,2]");
        assertThat(c.next().path("error").asText()).isEqualTo("Invalid JSON: a request is a JSON object");
        c.send("{\"command\":\"ping\"}");
        assertThat(c.next().path("error").asText()).isEqualTo("Missing request id");
        c.send("{\"id\":3}");
        JsonNode noCommand = c.next();
        assertThat(noCommand.path("error").asText()).isEqualTo("Missing command");
        assertThat(noCommand.path("id").asInt()).isEqualTo(3);

        assertThat(c.call(2, "ping").path("message").asText()).isEqualTo("pong");
    }

    @Test
    void overLongLineGetsAnErrorAndCloseWhileTheDaemonCarriesOn() throws Exception {
        start(new IpcSettings(0, true, true, 4096, 1024, 1 << 24, 2, 64, 10));
        LineClient c = track(LineClient.unixHello(socket()));

        byte[] line = new byte[64 * 1024];
        java.util.Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        c.write(line);

        JsonNode error = c.next();
        assertThat(error.path("success").asBoolean()).isFalse();
        assertThat(error.path("error").asText()).isEqualTo("Line too long (more than 4096 bytes)");
        c.assertClosedByServer();

        LineClient other = track(LineClient.unixHello(socket()));
        assertThat(other.call(1, "ping").path("message").asText()).isEqualTo("pong");
    }

    @Test
    void unknownCommandIsNamedInTheError() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));

        JsonNode r = c.call(5, "frobnicate");

        assertThat(r.path("success").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).isEqualTo("Unknown command: frobnicate");
    }

    @Test
    void fiftyClientsAtOnceAreAllServed() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    LineClient c = n % 2 == 0 ? LineClient.unixHello(socket()) : LineClient.tcpHello(data, server.tcpPort());
                    synchronized (clients) {
                        clients.add(c);
                    }
                    return c.call("client-" + n, "ping").get("id").asText();
                }));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(answers.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("client-" + i);
            }
            assertThat(server.attachedClients()).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stuckClientIsDroppedOnOverflowWhileAnotherKeepsGettingEvents() throws Exception {
        IpcServer server = start(new IpcSettings(0, true, true, 1024 * 1024, 64, 256 * 1024, 2, 64, 10));
        LineClient stuck = track(LineClient.unixNotReading(socket()));
        stuck.send("{\"id\":0,\"command\":\"hello\",\"params\":{\"version\":1}}");
        LineClient healthy = track(LineClient.unixHello(socket()));
        // The hello answers reached both; from here on the stuck client reads nothing.
        assertThat(healthy.call(1, "ping").path("message").asText()).isEqualTo("pong");

        Semaphore received = new Semaphore(0);
        AtomicInteger events = new AtomicInteger();
        Thread counter = new Thread(() -> {
            try {
                while (true) {
                    healthy.nextEvent("security_alert");
                    events.incrementAndGet();
                    received.release();
                }
            } catch (AssertionError closedAtTheEnd) {
                // The test closed the client: counting is over.
            }
        });
        counter.setDaemon(true);
        counter.start();

        String detail = "x".repeat(4000);
        int sent = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Batches smaller than the queue bound, paced by the healthy client, so only the stuck one overflows.
        while (server.attachedClients() > 1 && System.nanoTime() < deadline) {
            for (int i = 0; i < 16; i++) {
                server.securityEvent(new SecurityEvent(SecurityEvent.Kind.HANDSHAKE_FAILED, null, null, null, null,
                        Instant.now(), detail));
                sent++;
            }
            assertThat(received.tryAcquire(16, 10, TimeUnit.SECONDS)).as("healthy client keeps receiving").isTrue();
        }

        assertThat(server.attachedClients()).as("the stuck client was dropped").isEqualTo(1);
        assertThat(stuck.drainUntilClosed()).as("the stuck client got less than was sent")
                .isLessThan((long) sent * detail.length());
        assertThat(events.get()).isEqualTo(sent);
        counter.interrupt();
    }

    @Test
    void onlyUnlockCommandsWorkWhileLockedAndAbsentServicesSaySo() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));

        JsonNode status = c.call(1, "status");
        assertThat(status.path("identity").path("state").asText()).isEqualTo("none");
        assertThat(status.path("locked").asBoolean()).isTrue();
        for (String gated : List.of("get_contacts", "get_identity", "send_message", "get_groups", "lock", "get_peers")) {
            JsonNode r = c.call(gated, gated);
            assertThat(r.path("error").asText()).as(gated).isEqualTo("Identity is locked");
            assertThat(r.path("locked").asBoolean()).as(gated).isTrue();
        }

        JsonNode created = c.call(2, "create_identity",
                "{\"username\":\"alice\",\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        assertThat(created.path("identity").path("username").asText()).isEqualTo("alice");
        assertThat(created.toString()).doesNotContain(TestDaemon.PASSWORD);

        assertThat(c.call(3, "get_contacts").path("contacts").isArray()).isTrue();
        assertThat(c.call(4, "send_message", "{\"uid\":\"" + BOB_UID + "\",\"message\":\"hi\"}").path("error").asText())
                .isEqualTo("messaging is not available in this daemon");
        assertThat(c.call(5, "get_groups").path("error").asText()).isEqualTo("groups are not available in this daemon");
        assertThat(c.call(6, "connect_to_peer", "{\"uid\":\"" + BOB_UID + "\"}").path("error").asText())
                .isEqualTo("Contact not found");

        assertThat(c.call(7, "logout").path("success").asBoolean()).isTrue();
        assertThat(c.call(8, "get_contacts").path("locked").asBoolean()).isTrue();
        JsonNode wrong = c.call(9, "login", "{\"password\":\"nope\"}");
        assertThat(wrong.path("success").asBoolean()).isFalse();
        assertThat(wrong.path("reason").asText()).isEqualTo("WRONG_PASSWORD");
        JsonNode login = c.call(10, "login", "{\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        assertThat(login.path("identity").path("unlocked").asBoolean()).isTrue();
        assertThat(c.call(11, "get_identity").path("identity").path("public_key").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void contactCommandsCheckTheFingerprintAndEveryClientHearsTheEvents() throws Exception {
        IpcServer server = start(TestDaemon.settings());
        LineClient a = track(LineClient.unixHello(socket()));
        LineClient b = track(LineClient.tcpHello(data, server.tcpPort()));
        LineClient c = track(LineClient.unixHello(socket()));
        a.call(1, "create_identity", "{\"username\":\"alice\",\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        for (LineClient each : List.of(a, b, c)) {
            assertThat(each.nextEvent("identity_unlocked").path("identity").path("username").asText()).isEqualTo("alice");
        }

        JsonNode forged = a.call(2, "add_contact", "{\"uid\":\"" + BOB_UID + "\",\"username\":\"bob\",\"public_key\":\""
                + BOB_KEY + "\",\"fingerprint\":\"" + "ab".repeat(32) + "\",\"host\":\"127.0.0.1\",\"port\":5000}");
        assertThat(forged.path("error").asText()).isEqualTo("Fingerprint does not match the public key");

        String fingerprint = Fingerprints.of(BOB_KEY);
        String shown = jarvis.api.Ids.displayFingerprint(fingerprint).toUpperCase(java.util.Locale.ROOT);
        JsonNode added = a.call(3, "add_contact", "{\"uid\":\"" + BOB_UID + "\",\"username\":\"bob\",\"public_key\":\""
                + BOB_KEY + "\",\"fingerprint\":\"" + shown + "\",\"host\":\"127.0.0.1\",\"port\":5000,\"verified\":true}");
        assertThat(added.path("contact").path("fingerprint").asText()).isEqualTo(fingerprint);
        assertThat(added.path("contact").path("verified").asBoolean()).isTrue();
        assertThat(added.path("contact").path("endpoints").toString()).isEqualTo("[\"tcp://127.0.0.1:5000\"]");
        for (LineClient each : List.of(a, b, c)) {
            assertThat(each.nextEvent("contact_added").path("contact").path("uid").asText()).isEqualTo(BOB_UID);
            // "verified": true verifies right after adding: a change.
            assertThat(each.nextEvent("contact_changed").path("contact").path("verified").asBoolean()).isTrue();
        }

        assertThat(b.call(4, "rename_contact", "{\"uid\":\"" + BOB_UID + "\",\"username\":\"robert\"}")
                .path("contact").path("username").asText()).isEqualTo("robert");
        for (LineClient each : List.of(a, b, c)) {
            JsonNode changed = each.nextEvent("contact_changed");
            assertThat(changed.path("previous").path("username").asText()).isEqualTo("bob");
            assertThat(changed.path("contact").path("username").asText()).isEqualTo("robert");
        }
        assertThat(added.path("contact").path("legacy").asBoolean(true)).isFalse();
        assertThat(a.call(41, "set_contact_legacy", "{\"uid\":\"robert\",\"legacy\":\"yes\"}").path("error")
                .asText()).contains("legacy");
        assertThat(a.call(42, "set_contact_legacy", "{\"uid\":\"" + BOB_UID + "\",\"legacy\":true}")
                .path("contact").path("legacy").asBoolean()).isTrue();
        for (LineClient each : List.of(a, b, c)) {
            JsonNode changed = each.nextEvent("contact_changed");
            assertThat(changed.path("previous").path("legacy").asBoolean()).isFalse();
            assertThat(changed.path("contact").path("legacy").asBoolean()).isTrue();
        }
        assertThat(c.call(5, "get_contact", "{\"uid\":\"robert\"}").path("contact").path("uid").asText()).isEqualTo(BOB_UID);
        assertThat(c.call(6, "get_contacts").path("contacts").size()).isEqualTo(1);
        JsonNode status = c.call(7, "get_connection_status");
        assertThat(status.path("network").asBoolean()).isFalse();
        assertThat(status.path("statuses").path(BOB_UID).asBoolean(true)).isFalse();

        server.connectionChanged(BOB_UID, ConnectionState.HANDSHAKING, ConnectionState.ONLINE);
        for (LineClient each : List.of(a, b, c)) {
            JsonNode state = each.nextEvent("connection_state_changed");
            assertThat(state.path("uid").asText()).isEqualTo(BOB_UID);
            assertThat(state.path("state").asText()).isEqualTo("ONLINE");
            assertThat(state.path("state_code").asInt()).isEqualTo(3);
        }

        assertThat(a.call(8, "remove_contact", "{\"uid\":\"" + BOB_UID + "\"}").path("success").asBoolean()).isTrue();
        for (LineClient each : List.of(a, b, c)) {
            assertThat(each.nextEvent("contact_removed").path("contact").path("uid").asText()).isEqualTo(BOB_UID);
        }
        assertThat(a.call(9, "get_contact", "{\"uid\":\"" + BOB_UID + "\"}").path("error").asText())
                .isEqualTo("Contact not found");

        a.call(10, "lock");
        for (LineClient each : List.of(a, b, c)) {
            assertThat(each.nextEvent("identity_locked").path("identity").path("uid").asText()).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void exportNeedsAnAbsolutePathAndThePassword() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));
        c.call(1, "create_identity", "{\"username\":\"alice\",\"password\":\"" + TestDaemon.PASSWORD + "\"}");

        assertThat(c.call(2, "export_account", "{\"filepath\":\"relative.jexport\",\"password\":\"x\"}")
                .path("error").asText()).isEqualTo("Invalid parameter filepath: must be an absolute path");
        Path target = data.resolve("alice.jexport");
        assertThat(c.call(3, "export_account", "{\"filepath\":\"" + target + "\",\"password\":\"wrong\"}")
                .path("reason").asText()).isEqualTo("WRONG_PASSWORD");
        assertThat(target).doesNotExist();
        JsonNode ok = c.call(4, "export_account", "{\"filepath\":\"" + target + "\",\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(target).exists();
    }

    @Test
    void changePasswordNeedsTheOldOneAndOnlyTheNewOneUnlocksAfterwards() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));
        c.call(1, "create_identity", "{\"username\":\"alice\",\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        String next = "a different long passphrase";

        JsonNode wrong = c.call(2, "change_password", "{\"old_password\":\"not it\",\"new_password\":\"" + next + "\"}");
        assertThat(wrong.path("success").asBoolean()).isFalse();
        assertThat(wrong.path("reason").asText()).isEqualTo("WRONG_PASSWORD");
        assertThat(c.call(3, "change_password", "{\"old_password\":\"" + TestDaemon.PASSWORD + "\"}")
                .path("error").asText()).contains("new_password");

        JsonNode changed = c.call(4, "change_password", "{\"old_password\":\"" + TestDaemon.PASSWORD
                + "\",\"new_password\":\"" + next + "\"}");
        assertThat(changed.path("success").asBoolean()).isTrue();
        assertThat(c.call(5, "get_identity").path("identity").path("unlocked").asBoolean()).isTrue();

        c.call(6, "lock");
        JsonNode old = c.call(7, "unlock", "{\"password\":\"" + TestDaemon.PASSWORD + "\"}");
        assertThat(old.path("reason").asText()).isEqualTo("WRONG_PASSWORD");
        assertThat(c.call(8, "unlock", "{\"password\":\"" + next + "\"}").path("identity").path("username").asText())
                .isEqualTo("alice");
    }

    @Test
    void shutdownAnswersFirstThenStopsTheDaemon() throws Exception {
        start(TestDaemon.settings());
        LineClient c = track(LineClient.unixHello(socket()));

        JsonNode r = c.call(1, "shutdown");

        assertThat(r.path("message").asText()).isEqualTo("Server shutting down");
        daemon.shutdownRequested.get(10, TimeUnit.SECONDS);
    }

    @Test
    void tcpOnlyWhenTheUnixSocketIsDisabled() throws Exception {
        IpcServer server = start(new IpcSettings(0, true, false, 1024 * 1024, 1024, 1 << 24, 2, 64, 10));

        assertThat(server.unixSocket()).isNull();
        assertThat(socket()).doesNotExist();
        LineClient c = track(LineClient.tcpHello(data, server.tcpPort()));
        assertThat(c.call(1, "ping").path("message").asText()).isEqualTo("pong");
    }
}
