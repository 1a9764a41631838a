package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * Two daemons on one machine, driven only through {@code bin/jarvis} as a user or script would:
 * start, init, exchange link codes, verify, send both ways, offline delivery across a restart, the
 * IPC token check, and the exit codes scripts rely on. Loopback only; every wait is bounded.
 */
public class TwoDaemonsIT {

    private static final long WAIT_SECONDS = 30;
    private static final String PASSWORD_A = "correct horse alice";
    private static final String PASSWORD_B = "battery staple bob";

    private CliInstall a;
    private CliInstall b;
    private final List<ProcessHandle> seen = new ArrayList<>();

    @After
    public void killLeftovers() {
        // Only if an assertion failed half-way: the test itself stops everything and asserts it.
        for (CliInstall i : new CliInstall[] {a, b}) {
            if (i != null) {
                i.daemons().forEach(ProcessHandle::destroyForcibly);
            }
        }
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    public void twoDaemonsTalkThroughTheCommandLine() throws Exception {
        Path cache = ContainerSetup.newDirectory("cli-cache");
        a = CliInstall.unpack("a", cache);
        b = CliInstall.unpack("b", cache);
        int portA = CliInstall.freePort();
        int portB = CliInstall.freePort();
        int portBFirst = CliInstall.freePort();
        // A: the per-installation files a user (or packager) writes by hand. IPC on any free port,
        // so parallel test runs and a user's own daemon on 5999 never collide.
        a.writeConf("jarvis.ipc", "ipc.port = 0");
        a.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + portA);
        a.writeConf("jarvis.contacts", "advertised.endpoints = tcp://127.0.0.1:" + portA);
        // B: a loopback port to start with; `jarvis init --port` moves it to portB while running.
        b.writeConf("jarvis.ipc", "ipc.port = 0");
        b.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + portBFirst);

        // --- daemon status / start ---
        CliInstall.Result r = a.run("daemon", "status", "--json");
        assertEquals(r.toString(), 3, r.code());
        assertTrue(r.toString(), r.out().contains("\"running\":false"));
        assertEquals(3, a.run("contacts").code());

        // Two starts at once: both succeed, one daemon runs.
        Process first = a.start(null, "daemon", "start", "--json");
        Process second = a.start(null, "daemon", "start", "--json");
        CliInstall.Result r1 = a.await(first);
        CliInstall.Result r2 = a.await(second);
        assertEquals(r1.toString(), 0, r1.code());
        assertEquals(r2.toString(), 0, r2.code());
        List<ProcessHandle> daemonsA = a.daemons();
        assertEquals("one daemon for A's data directory: " + daemonsA, 1, daemonsA.size());
        seen.addAll(daemonsA);
        assertEquals(daemonsA.get(0).pid(), a.pidFromFile());
        assertTrue(r1 + "\n" + r2, r1.out().contains("\"pid\":" + a.pidFromFile()) && r2.out().contains("\"pid\":" + a.pidFromFile()));

        r = a.run("daemon", "start");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("already running"));
        assertEquals(1, a.daemons().size());

        r = b.run("daemon", "start");
        assertEquals(r.toString(), 0, r.code());
        seen.addAll(b.daemons());
        r = a.run("daemon", "status", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"running\":true"));

        // --- identities (passwords on stdin, as scripts pass them) ---
        assertEquals(4, a.run("contacts").code());
        r = a.runWithInput(PASSWORD_A + "\n", "init", "--username", "alice", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"username\":\"alice\""));
        assertFalse("the password is never echoed", (r.out() + r.err()).contains(PASSWORD_A));
        r = b.runWithInput(PASSWORD_B + "\n", "init", "--username", "bob", "--port", Integer.toString(portB), "--host",
                "127.0.0.1", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"listen\":\"tcp://127.0.0.1:" + portB + "\""));
        assertTrue(Files.readString(b.data.resolve("etc/conf/jarvis.transport.tcp.cfg")).contains("tcp://127.0.0.1:" + portB));
        r = a.runWithInput(PASSWORD_A + "\n", "init", "--username", "again");
        assertEquals("a second identity is refused: " + r, 1, r.code());

        String fingerprintA = a.run("status", "--json").field("fingerprint");
        String fingerprintB = b.run("status", "--json").field("fingerprint");
        assertNotEquals(fingerprintA, fingerprintB);

        // --- link codes, both ways ---
        String codeA = a.run("link").out();
        String codeB = b.run("link").out();
        assertTrue(codeA, codeA.startsWith("jarvis2:"));
        assertTrue(codeB, codeB.startsWith("jarvis2:"));
        r = a.run("add", codeB, "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"username\":\"bob\"") && r.out().contains("tcp://127.0.0.1:" + portB));
        r = b.run("add", codeA, "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"username\":\"alice\""));
        // A character in the middle: every bit of it is payload (the last one may hold unused bits).
        int mid = codeB.length() / 2;
        r = a.run("add", codeB.substring(0, mid) + (codeB.charAt(mid) == 'A' ? 'B' : 'A') + codeB.substring(mid + 1));
        assertEquals("a mistyped link code is refused: " + r, 1, r.code());

        // --- verify ---
        r = a.run("verify", "bob");
        assertEquals("no terminal, no --yes: nothing is verified silently: " + r, 2, r.code());
        r = a.run("verify", "bob", "--fingerprint", fingerprintA);
        assertEquals("someone else's fingerprint is refused: " + r, 1, r.code());
        assertTrue(a.run("contacts", "--json").out().contains("\"verified\":false"));
        r = a.run("verify", "bob", "--fingerprint", group(fingerprintB), "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"verified\":true"));
        r = b.run("verify", "alice", "--yes");
        assertEquals(r.toString(), 0, r.code());
        assertEquals(5, b.run("verify", "carol", "--yes").code());

        // --- messages both ways ---
        r = a.run("send", "bob", "hello", "bob");
        assertEquals(r.toString(), 0, r.code());
        r = b.run("send", "alice", "hi alice", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().matches(".*\"message_id\":\"[0-9a-f]{32}\".*"));
        awaitTrue("bob receives hello bob", () -> b.run("history", "alice", "--json").count("\"content\":\"hello bob\"") == 1);
        awaitTrue("alice receives hi alice", () -> a.run("history", "bob", "--json").count("\"content\":\"hi alice\"") == 1);
        r = a.run("history", "bob");
        assertTrue(r.toString(), r.out().contains("alice: hello bob") && r.out().contains("bob: hi alice"));
        assertEquals(5, a.run("send", "carol", "hi").code());
        assertEquals(2, a.run("send", "bob").code());

        // --- a group over IPC: A invites B, B learns of it, accepts, messages go both ways ---
        try (IpcConnection ipcA = new IpcConnection(a.data.resolve("run/jarvisd.sock"));
                IpcConnection ipcB = new IpcConnection(b.data.resolve("run/jarvisd.sock"))) {
            assertTrue(ipcA.call(1, "hello", "{\"version\":1}").contains("\"success\":true"));
            assertTrue(ipcB.call(1, "hello", "{\"version\":1}").contains("\"success\":true"));
            String created = ipcA.call(2, "create_group", "{\"name\":\"Friends\",\"member_uids\":[\"bob\"]}");
            assertTrue(created, created.contains("\"success\":true") && created.contains("\"is_admin\":true"));
            String groupId = created.replaceAll(".*\"group_id\":\"(g[0-9a-f]{31})\".*", "$1");
            assertTrue(created, groupId.matches("g[0-9a-f]{31}"));
            String invited = ipcB.await("\"event\":\"group_changed\"", WAIT_SECONDS);
            assertTrue(invited, invited.contains(groupId) && invited.contains("\"state\":\"invited\""));
            String refused = ipcB.call(3, "send_group_message", "{\"group_id\":\"" + groupId + "\",\"message\":\"early\"}");
            assertTrue("nothing is sent before accepting: " + refused, refused.contains("\"success\":false")
                    && refused.contains("accept the invitation"));
            String accepted = ipcB.call(4, "accept_group", "{\"group_id\":\"" + groupId + "\"}");
            assertTrue(accepted, accepted.contains("\"state\":\"joined\""));
            awaitTrue("alice sees bob joined", () -> {
                String g = ipcA.call(5, "get_group", "{\"group_id\":\"" + groupId + "\"}");
                return g.contains("\"version\":2") && !g.contains("\"status\":\"invited\"");
            });
            String sent = ipcA.call(6, "send_group_message", "{\"group_id\":\"" + groupId + "\",\"message\":\"hello friends\"}");
            assertTrue(sent, sent.contains("\"success\":true"));
            String received = ipcB.await("\"event\":\"group_message_received\"", WAIT_SECONDS);
            assertTrue(received, received.contains("\"group_id\":\"" + groupId + "\"") && received.contains("hello friends"));
            ipcB.call(7, "send_group_message", "{\"group_id\":\"" + groupId + "\",\"message\":\"hi from bob\"}");
            String back = ipcA.await("\"event\":\"group_message_received\"", WAIT_SECONDS);
            assertTrue(back, back.contains("hi from bob"));
            String unread = ipcB.call(8, "get_group_unread_count", "{\"group_id\":\"" + groupId + "\"}");
            assertTrue(unread, unread.contains("\"count\":1"));
            String history = ipcB.call(9, "get_group_messages", "{\"group_id\":\"" + groupId + "\"}");
            assertTrue(history, history.indexOf("hello friends") > 0 && history.indexOf("hi from bob") > history.indexOf("hello friends"));
            assertTrue(ipcB.call(10, "get_groups", "{}").contains("\"name\":\"Friends\""));
        }

        // --- offline delivery: B stops, A queues, B comes back: exactly once ---
        long pidB = b.pidFromFile();
        r = b.run("daemon", "stop", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"was_running\":true"));
        assertFalse("B's daemon process has exited", ProcessHandle.of(pidB).map(ProcessHandle::isAlive).orElse(false));
        assertEquals(3, b.run("daemon", "status").code());
        assertEquals(0, b.run("daemon", "stop").code());
        r = a.run("send", "bob", "while you were away", "--json");
        assertEquals(r.toString(), 0, r.code());
        String queuedId = r.field("message_id");
        r = b.run("daemon", "start");
        assertEquals(r.toString(), 0, r.code());
        seen.addAll(b.daemons());
        assertEquals("locked after a restart", 4, b.run("history", "alice").code());
        assertEquals(6, b.runWithInput("wrong password\n", "unlock").code());
        r = b.runWithInput(PASSWORD_B + "\n", "unlock");
        assertEquals(r.toString(), 0, r.code());
        awaitTrue("the queued message arrives", () -> b.run("history", "alice", "--json").count("\"content\":\"while you were away\"") >= 1);
        awaitTrue("A sees it delivered", () -> {
            String history = a.run("history", "bob", "--json").out();
            int at = history.indexOf("\"message_id\":\"" + queuedId + "\"");
            return at >= 0 && history.indexOf("\"state\":\"DELIVERED\"", at) > at
                    || at >= 0 && history.indexOf("\"state\":\"READ\"", at) > at;
        });
        r = b.run("history", "alice", "--json");
        assertEquals("exactly once: " + r, 1, r.count("\"content\":\"while you were away\""));
        assertEquals(r.toString(), 1, r.count("\"content\":\"hello bob\""));

        // --- a client with a wrong token is refused; the right one is admitted ---
        int ipcPort = Integer.parseInt(Files.readString(b.data.resolve("run/ipc.port")).trim());
        String token = Files.readString(b.data.resolve("run/ipc.token")).trim();
        String wrong = (token.charAt(0) == '0' ? "1" : "0") + token.substring(1);
        String refused = hello(ipcPort, wrong);
        assertTrue(refused, refused.contains("\"success\":false") && refused.contains("Invalid token"));
        String admitted = hello(ipcPort, token);
        assertTrue(admitted, admitted.contains("\"success\":true"));

        // --- another user cannot reach the socket: 0600, in a 0700 run directory of a 0700 data directory ---
        Path socket = b.data.resolve("run/jarvisd.sock");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(b.data)));
        String sameUser = OtherUser.connect(socket, false);
        assertEquals("the probe itself reaches the socket as its owner", "CONNECTED", sameUser);
        if (OtherUser.setpriv().isPresent()) {
            String nobody = OtherUser.connect(socket, true);
            assertTrue("another user is refused: " + nobody, nobody.startsWith("REFUSED") && nobody.contains("Permission denied"));
        } else {
            System.out.println("TwoDaemonsIT: not root (or no setpriv): the other-user connection was not tried; the"
                    + " permissions above are what refuses it");
        }

        // --- lock: commands that need the identity say so ---
        assertEquals(0, b.run("lock").code());
        assertEquals(4, b.run("contacts").code());
        r = b.run("status", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"locked\":true"));
        assertEquals(2, b.run("frobnicate").code());

        // --- stop everything; nothing is left behind ---
        assertEquals(0, a.run("daemon", "stop").code());
        assertEquals(0, b.run("daemon", "stop").code());
        assertEquals(3, a.run("daemon", "status").code());
        assertEquals(3, b.run("daemon", "status").code());
        for (ProcessHandle p : seen) {
            assertFalse("process left behind: " + p.pid(), p.isAlive());
        }
        assertEquals(List.of(), a.daemons());
        assertEquals(List.of(), b.daemons());
        assertFalse(Files.exists(a.data.resolve("run/jarvisd.pid")));
        assertFalse(Files.exists(b.data.resolve("run/jarvisd.pid")));

        // No component was left out by an activation cycle (whiteboard services are fetched on first use).
        for (CliInstall i : new CliInstall[] {a, b}) {
            try (java.util.stream.Stream<Path> logs = Files.list(i.data.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    String text = Files.readString(log);
                    assertFalse(log + " reports an SCR cycle", text.contains("resulted in a cycle")
                            || text.contains("Circular reference"));
                }
            }
        }
    }

    /** The documented hello over raw loopback TCP; returns the daemon's first line. */
    private static String hello(int port, String token) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(10));
            OutputStream out = s.getOutputStream();
            out.write(("{\"id\":1,\"command\":\"hello\",\"params\":{\"version\":1,\"token\":\"" + token + "\"}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line != null && line.contains("\"success\":false")) {
                assertEquals("the connection is closed after a refused hello", null, in.readLine());
            }
            return String.valueOf(line);
        }
    }

    private static void awaitTrue(String what, Callable<Boolean> condition) {
        org.awaitility.Awaitility.await(what).atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .pollInterval(250, TimeUnit.MILLISECONDS).until(condition);
    }

    /** The grouped display form people read aloud; the CLI must accept it. */
    private static String group(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            b.append(i > 0 ? " " : "").append(hex, i, i + 4);
        }
        return b.toString();
    }
}
