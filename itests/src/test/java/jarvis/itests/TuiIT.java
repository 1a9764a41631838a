package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;

import jarvis.client.JarvisClient;
import jarvis.tui.TerminalUi;

/**
 * The terminal UI on a Lanterna virtual terminal, driven key by key against two real daemons started
 * from the distribution (no mocks): alice uses the UI, bob the command line and the client library.
 * Create the identity, add contacts (link code and by hand), send, receive, the unread badge, the
 * typing notice, verify, settings (QR code, OSC 52 copy), lock and unlock, the daemon going away and
 * coming back, resizing, and the way out. Loopback only; every wait is bounded.
 */
public class TuiIT {

    private static final String PASSWORD_A = "alice's long passphrase";
    private static final String PASSWORD_B = "bob's long passphrase";

    private CliInstall a;
    private CliInstall b;
    private TerminalUi ui;
    private final List<ProcessHandle> seen = new ArrayList<>();

    @After
    public void stopEverything() throws Exception {
        if (ui != null) {
            ui.close();
        }
        for (CliInstall i : new CliInstall[] {a, b}) {
            if (i != null) {
                i.run("daemon", "stop");
                i.daemons().forEach(ProcessHandle::destroyForcibly);
            }
        }
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    public void aUserChatsThroughTheTerminalUi() throws Exception {
        Path cache = ContainerSetup.newDirectory("tui-cache");
        a = CliInstall.unpack("tui-a", cache);
        b = CliInstall.unpack("tui-b", cache);
        int portA = CliInstall.freePort();
        int portB = CliInstall.freePort();
        a.writeConf("jarvis.ipc", "ipc.port = 0");
        a.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + portA);
        a.writeConf("jarvis.contacts", "advertised.endpoints = tcp://127.0.0.1:" + portA);
        b.writeConf("jarvis.ipc", "ipc.port = 0");
        b.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + portB);
        b.writeConf("jarvis.contacts", "advertised.endpoints = tcp://127.0.0.1:" + portB);
        assertEquals(0, a.run("daemon", "start").code());
        assertEquals(0, b.run("daemon", "start").code());
        seen.addAll(a.daemons());
        seen.addAll(b.daemons());
        CliInstall.Result r = b.runWithInput(PASSWORD_B + "\n", "init", "--username", "bob");
        assertEquals(r.toString(), 0, r.code());
        String codeB = b.run("link").out();
        String fingerprintB = b.run("status", "--json").field("fingerprint");

        VirtualScreen screen = new VirtualScreen(120, 40);
        List<byte[]> rawOutput = new CopyOnWriteArrayList<>();
        ui = TerminalUi.open(a.data, screen.terminal, rawOutput::add);

        // --- create the identity: name, password twice, a strength hint, a spinner while Argon2id runs ---
        screen.awaitText("create your identity");
        screen.awaitText("██████"); // the banner
        screen.type("alice");
        screen.press(KeyType.Tab);
        screen.type("short");
        screen.awaitText("weak");
        for (int i = 0; i < 5; i++) {
            screen.press(KeyType.Backspace);
        }
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.type("not the same");
        screen.press(KeyType.Enter);
        screen.awaitText("The passwords differ");
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.awaitText("No contacts yet");
        assertTrue("a progress indicator showed while Argon2id ran", screen.everShowed("Creating your identity (Argon2id)"));
        screen.awaitText("alice  ·  ");
        screen.awaitText("Status: no contacts");
        assertFalse("the password is never shown", screen.everShowed(PASSWORD_A));

        // --- add bob by his link code; his fingerprint is shown with the prompt to verify ---
        screen.ctrl('n');
        screen.awaitText("Paste the link code");
        screen.type(codeB);
        screen.press(KeyType.Tab);
        screen.press(KeyType.Enter);
        screen.awaitText("Added bob. Their fingerprint:");
        screen.awaitText(grouped(fingerprintB));
        screen.press(KeyType.Enter); // "Later": the focus is there, nothing is verified by accident
        screen.awaitGone("Added bob");
        screen.awaitText("Chat with bob");
        assertTrue(screen.text(), screen.lineWith("Chat with bob").contains("not verified"));

        // bob adds alice; the session comes up and the dot turns green
        r = b.run("add", a.run("link").out());
        assertEquals(r.toString(), 0, r.code());
        screen.awaitText("Status: 1/1 online");
        assertEquals(colour("● bob", screen), TextColor.ANSI.GREEN_BRIGHT);

        // --- send: Enter sends, the message shows with its delivery mark and reaches bob ---
        String longText = "hello bob, this message is long enough that the chat view has to wrap it onto a second "
                + "line because it does not fit the width of the view";
        screen.type(longText);
        screen.press(KeyType.Enter);
        screen.awaitText("You (just now): hello bob");
        awaitTrue("bob receives it", () -> b.run("history", "alice", "--json").out().contains(longText));
        screen.awaitText("✓✓");
        assertTrue("long messages wrap: " + screen, screen.text().contains("width of the view"));

        // --- receive: new messages appear live ---
        assertEquals(0, b.run("send", "alice", "hi alice").code());
        screen.awaitText("bob (just now): hi alice");

        // --- typing: bob's client says he types; the notice shows under the conversation ---
        String aliceUid = a.run("status", "--json").field("uid");
        try (JarvisClient bob = JarvisClient.connect(b.data)) {
            bob.request("typing", Map.of("uid", aliceUid)).get(30, TimeUnit.SECONDS);
        }
        screen.awaitText("bob is typing…");

        // --- add carol by hand (she has no daemon: she stays red) and switch to her ---
        screen.ctrl('n');
        screen.awaitText("Or by hand");
        screen.press(KeyType.Tab);
        screen.press(KeyType.Tab);
        screen.press(KeyType.Tab);
        screen.type("carol");
        screen.press(KeyType.Tab);
        screen.type("0123456789abcdef0123456789abcdef");
        screen.press(KeyType.Tab);
        screen.type("0900aa11bb22cc33dd44ee55ff66778899aabbccddeeff00112233445566778f");
        screen.press(KeyType.Tab);
        screen.press(KeyType.Tab);
        screen.press(KeyType.Tab);
        screen.press(KeyType.Enter);
        screen.awaitText("Added carol");
        screen.press(KeyType.Escape);
        screen.awaitText("Chat with carol");
        screen.awaitText("Status: 1/2 online");
        assertEquals("some online: amber", colour("● Status", screen), new TextColor.RGB(0xff, 0xbf, 0x00));
        assertEquals(colour("● carol", screen), TextColor.ANSI.RED_BRIGHT);

        // --- unread badge: bob writes while carol's conversation is open ---
        assertEquals(0, b.run("send", "alice", "are you there?").code());
        awaitTrue("bob's entry shows 1 unread", () -> screen.lineWith("● bob").matches(".*● bob +1 .*"));
        assertFalse(screen.text().contains("are you there?"));
        screen.press(KeyType.ArrowUp);
        screen.awaitText("bob (just now): are you there?");
        awaitTrue("the badge goes when the conversation is read", () -> screen.lineWith("● bob").matches(".*● bob +│.*"));

        // --- verify bob from his details (Tab = Ctrl+I) ---
        screen.press(KeyType.Tab);
        screen.awaitText("Contact bob");
        screen.awaitText("Health");
        assertTrue(screen.text(), screen.text().contains(grouped(fingerprintB)));
        assertTrue(screen.text(), screen.text().contains("tcp://127.0.0.1:" + portB));
        screen.awaitText("ONLINE via");
        screen.press(KeyType.ReverseTab);
        screen.press(KeyType.ReverseTab);
        screen.press(KeyType.Enter); // Verify…
        screen.awaitText("Verify bob");
        screen.press(KeyType.ReverseTab);
        screen.press(KeyType.Enter); // It matches: verified
        awaitTrue("the header says verified", () -> screen.lineWith("Chat with bob").contains("(online, verified)"));
        assertTrue(a.run("contacts", "--json").out().matches("(?s).*\"username\":\"bob\"[^}]*\"verified\":true.*"));

        // --- settings: link code, QR code, copy to the clipboard with OSC 52 ---
        String codeA = a.run("link").out();
        screen.ctrl('s');
        screen.awaitText("Settings");
        screen.awaitText("Desktop notifications");
        screen.awaitText(codeA.substring(0, 40));
        screen.press(KeyType.Tab); // from Close round to "Show QR code"
        screen.press(KeyType.Tab); // "Copy link code"
        screen.press(KeyType.Enter);
        screen.awaitText("Link code copied");
        String osc52 = "\u001b]52;c;" + Base64.getEncoder().encodeToString(codeA.getBytes(StandardCharsets.UTF_8)) + "\u0007";
        assertTrue("the terminal got the OSC 52 sequence",
                rawOutput.stream().anyMatch(bytes -> new String(bytes, StandardCharsets.US_ASCII).equals(osc52)));
        screen.press(KeyType.ReverseTab); // "Show QR code"
        screen.press(KeyType.Enter);
        screen.awaitText("QR version");
        assertNotNull("the QR code is drawn with half blocks", screen.cellOf("▀▀▀▀▀▀▀"));
        screen.press(KeyType.Escape);
        screen.awaitGone("QR version");
        screen.press(KeyType.Escape);
        screen.awaitGone("Desktop notifications");

        // --- help and groups ---
        screen.press(KeyType.F1);
        screen.awaitText("Ctrl+N");
        assertTrue(screen.text(), screen.text().contains("Add a contact"));
        screen.press(KeyType.Escape);
        screen.awaitGone("Add a contact");
        // The daemon serves groups: Ctrl+G opens the new-group dialog with the contacts to tick.
        screen.ctrl('g');
        screen.awaitText("Group name");
        assertTrue(screen.text(), screen.text().contains("Create group") && screen.text().contains("Members"));
        screen.press(KeyType.Escape);
        screen.awaitGone("Group name");

        // --- lock: everything hidden, Escape does nothing, a wrong password is refused ---
        screen.ctrl('l');
        screen.awaitText("Jarvis is locked");
        awaitTrue("the daemon is locked", () -> a.run("status", "--json").out().contains("\"locked\":true"));
        screen.press(KeyType.Escape);
        screen.ctrl('n');
        assertTrue(screen.text().contains("Jarvis is locked"));
        assertFalse("nothing of the conversations shows: " + screen, screen.text().contains("are you there?"));
        assertFalse(screen.text().contains("bob"));
        screen.type("wrong password");
        screen.press(KeyType.Enter);
        screen.awaitText("Wrong password, try again");
        assertTrue(screen.everShowed("Unlocking (Argon2id)"));
        assertTrue(screen.text().contains("Jarvis is locked"));
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.awaitText("bob (");
        screen.awaitText("are you there?");

        // --- the daemon goes away: grey dots; it comes back (locked, a new process): the lock screen ---
        assertEquals(0, a.run("daemon", "stop").code());
        screen.awaitText("daemon away");
        assertEquals("grey while the daemon is away", new TextColor.RGB(0x80, 0x80, 0x80), colour("● bob", screen));
        assertEquals(0, a.run("daemon", "start").code());
        seen.addAll(a.daemons());
        screen.awaitText("Jarvis is locked");
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.awaitText("are you there?");

        // --- resizing re-lays out: the key line follows the bottom edge ---
        screen.resize(90, 30);
        awaitTrue("the layout follows the new size", () -> {
            List<String> lines = screen.lines();
            return lines.size() == 30 && lines.get(29).startsWith("^N Add contact");
        });

        // --- Ctrl+Q leaves the UI; the daemon keeps running, unlocked ---
        screen.ctrl('q');
        ui.exited().get(30, TimeUnit.SECONDS);
        CliInstall.Result status = a.run("status", "--json");
        assertEquals(status.toString(), 0, status.code());
        assertTrue(status.toString(), status.out().contains("\"locked\":false"));
    }

    private static TextColor colour(String text, VirtualScreen screen) {
        TextCharacter cell = screen.cellOf(text);
        assertNotNull("\"" + text + "\" on the screen:\n" + screen, cell);
        return cell.getForegroundColor();
    }

    private static String grouped(String hex) {
        StringBuilder g = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            g.append(i > 0 ? " " : "").append(hex, i, i + 4);
        }
        return g.toString();
    }

    private static void awaitTrue(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(VirtualScreen.WAIT_SECONDS, TimeUnit.SECONDS)
                .pollInterval(100, TimeUnit.MILLISECONDS).until(condition);
    }
}
