package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

import com.fasterxml.jackson.databind.JsonNode;
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
        captures.put("create identity", screen.text());
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
        captures.put("added by link code", screen.text());
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
        captures.put("chat", screen.text());

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
        captures.put("unread badge", screen.text());
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
        captures.put("contact details", screen.text());
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
        captures.put("settings", screen.text());
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
        captures.put("QR code", screen.text());
        screen.press(KeyType.Escape);
        screen.awaitGone("QR version");
        screen.press(KeyType.Escape);
        screen.awaitGone("Desktop notifications");

        // --- help and groups ---
        screen.press(KeyType.F1);
        screen.awaitText("Ctrl+N");
        assertTrue(screen.text(), screen.text().contains("Add a contact"));
        captures.put("help", screen.text());
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
        captures.put("locked, wrong password", screen.text());
        assertTrue(screen.everShowed("Unlocking (Argon2id)"));
        assertTrue(screen.text().contains("Jarvis is locked"));
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.awaitText("bob (");
        screen.awaitText("are you there?");

        // --- the daemon goes away: grey dots; it comes back (locked, a new process): the lock screen ---
        assertEquals(0, a.run("daemon", "stop").code());
        screen.awaitText("daemon away");
        captures.put("daemon away", screen.text());
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
        captures.put("resized to 90x30", screen.text());

        // --- Ctrl+Q leaves the UI; the daemon keeps running, unlocked ---
        screen.ctrl('q');
        ui.exited().get(30, TimeUnit.SECONDS);
        CliInstall.Result status = a.run("status", "--json");
        assertEquals(status.toString(), 0, status.code());
        assertTrue(status.toString(), status.out().contains("\"locked\":false"));
        writeCaptures("chat");
    }

    /**
     * The rest of the UI against two real daemons: a contact card imported through the file chooser (a
     * malformed one refused with a message), a group created with a member ticked, accepted by the
     * other daemon, messages both ways with the unread badge on the group, emoji both ways, the password
     * changed, the contact card and the account exported (each imported again), and the account deleted
     * behind its password.
     */
    @Test
    public void groupsFilesAndTheAccountThroughTheTerminalUi() throws Exception {
        Path cache = ContainerSetup.newDirectory("tui-cache2");
        a = CliInstall.unpack("tui2-a", cache);
        b = CliInstall.unpack("tui2-b", cache);
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
        r = a.runWithInput(PASSWORD_A + "\n", "init", "--username", "alice");
        assertEquals(r.toString(), 0, r.code());
        String fingerprintB = b.run("status", "--json").field("fingerprint");
        String uidA = a.run("status", "--json").field("uid");
        String fingerprintA = a.run("status", "--json").field("fingerprint");

        // alice's home folder: bob's contact card (written by his daemon) and a broken one beside it
        Path home = ContainerSetup.newDirectory("tui-home");
        Path cards = Files.createDirectories(home.resolve("cards"));
        Path bobCard = cards.resolve("bob.jcard");
        Files.writeString(cards.resolve("broken.jcard"), "{\"this is\": \"not a contact card\"", StandardCharsets.UTF_8);
        try (JarvisClient bob = JarvisClient.connect(b.data)) {
            bob.request("export_contact_card", Map.of("path", bobCard.toString())).get(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.isRegularFile(bobCard));

        VirtualScreen screen = new VirtualScreen(120, 40);
        ui = TerminalUi.open(a.data, screen.terminal, bytes -> { }, home);
        screen.awaitText("No contacts yet");

        // --- import a contact card through the file chooser: into cards/, the broken one first ---
        screen.ctrl('n');
        screen.awaitText("Import contact card");
        screen.press(KeyType.Tab); // "Add from link code"
        screen.press(KeyType.Tab); // "Import contact card…"
        screen.press(KeyType.Enter);
        screen.awaitText(home.getFileName().toString()); // the chooser starts at home (the path, maybe shortened)
        screen.awaitText("cards");
        captures.put("file chooser", screen.text());
        chooseFile(screen, "cards", "broken.jcard");
        screen.awaitText("Not imported:");
        captures.put("malformed card", screen.text());
        assertFalse("no contact was added", a.run("contacts", "--json").out().contains("bob"));
        screen.press(KeyType.Enter); // the "Import contact card…" button still has the focus
        screen.awaitText(home.getFileName() + "/cards"); // it opens where the last choice was made
        chooseFile(screen, null, "bob.jcard");
        screen.awaitText("Added bob. Their fingerprint:");
        screen.awaitText(grouped(fingerprintB));
        screen.press(KeyType.Enter); // Later
        screen.awaitText("Chat with bob");

        // bob adds alice; the session comes up
        r = b.run("add", a.run("link").out());
        assertEquals(r.toString(), 0, r.code());
        screen.awaitText("Status: 1/1 online");

        // --- emoji both ways: drawn as one wide cell each, never as U+FFFD ---
        String party = "\uD83C\uDF89";
        String thumbs = "\uD83D\uDC4D";
        // Through the IPC (UTF-8 JSON), not the command line, whose arguments depend on the locale.
        try (JarvisClient bob = JarvisClient.connect(b.data)) {
            bob.request("send_message", Map.of("uid", uidA, "message", "party " + party + " tonight")).get(30, TimeUnit.SECONDS);
        }
        screen.awaitText("bob (just now): party " + party + " tonight");
        int[] at = screen.columnOf(party + " tonight");
        assertTrue("the emoji is one double-width cell", screen.terminal.getCharacter(at[0], at[1]).isDoubleWidth());
        assertEquals(party, screen.terminal.getCharacter(at[0], at[1]).getCharacterString());
        assertEquals("the text after it starts two columns on", " ",
                screen.terminal.getCharacter(at[0] + 2, at[1]).getCharacterString());
        screen.type("great " + thumbs + " see you");
        screen.awaitText("> great " + thumbs + " see you");
        screen.press(KeyType.Enter);
        screen.awaitText("You (just now): great " + thumbs + " see you");
        try (JarvisClient bob = JarvisClient.connect(b.data)) {
            awaitTrue("bob receives the emoji intact", () -> bob.request("get_messages", Map.of("uid", uidA))
                    .get(30, TimeUnit.SECONDS).toString().contains("great " + thumbs + " see you"));
        }
        assertFalse("nothing was replaced: " + screen, screen.text().contains("\uFFFD"));
        captures.put("emoji", screen.text());

        // --- a new group with bob ticked; bob's daemon accepts; messages both ways ---
        screen.ctrl('g');
        screen.awaitText("Group name");
        screen.type("friends");
        screen.press(KeyType.Tab);
        screen.awaitText("bob");
        screen.type(" "); // Space ticks bob
        captures.put("new group", screen.text());
        screen.press(KeyType.Tab);
        screen.press(KeyType.Enter); // Create group
        screen.awaitText("# friends");
        screen.awaitText("Group friends (");
        try (JarvisClient bob = JarvisClient.connect(b.data); JarvisClient alice = JarvisClient.connect(a.data)) {
            String groupId = awaitGroup(bob);
            bob.request("accept_group", Map.of("group_id", groupId)).get(30, TimeUnit.SECONDS);
            awaitTrue("bob's acceptance reaches alice's daemon", () -> {
                JsonNode g = alice.request("get_group", Map.of("group_id", groupId)).get(30, TimeUnit.SECONDS).path("group");
                boolean allJoined = g.path("members").size() == 2;
                for (JsonNode m : g.path("members")) {
                    allJoined &= m.path("status").asText().equals("joined");
                }
                return allJoined;
            });
            screen.type("hello friends");
            screen.press(KeyType.Enter);
            screen.awaitText("You (just now): hello friends");
            awaitTrue("bob has alice's group message", () -> bob.request("get_group_messages", Map.of("group_id", groupId))
                    .get(30, TimeUnit.SECONDS).toString().contains("hello friends"));

            // alice looks at bob's conversation; bob writes in the group: the badge is on the group entry
            screen.press(KeyType.ArrowUp);
            screen.awaitText("Chat with bob");
            bob.request("send_group_message", Map.of("group_id", groupId, "message", "hi all " + party))
                    .get(30, TimeUnit.SECONDS);
            awaitTrue("the group's entry shows 1 unread", () -> screen.lineWith("# friends").matches(".*# friends +1 .*"));
            assertTrue(screen.lineWith("● bob").matches(".*● bob +│.*"));
            captures.put("group unread", screen.text());
            screen.press(KeyType.ArrowDown);
            screen.awaitText("bob (just now): hi all " + party);
            awaitTrue("the badge goes when the group is read", () -> screen.lineWith("# friends").matches(".*# friends +│.*"));
            captures.put("group chat", screen.text());

            // --- group details (Tab): rename, remove bob, invite him again, leave ---
            screen.press(KeyType.Tab);
            screen.awaitText("Members (Enter on one to remove it)");
            screen.awaitText("<Leave group>");
            assertTrue(screen.text(), screen.text().contains("alice  admin") && screen.text().contains("(you)"));
            captures.put("group details", screen.text());
            screen.press(KeyType.Tab); // from "Invite…" to "Rename…"
            screen.press(KeyType.Enter);
            screen.awaitText("Rename group");
            screen.press(KeyType.End);
            screen.type(" and co");
            screen.press(KeyType.Tab);
            screen.press(KeyType.Enter);
            screen.awaitText("# friends and co");
            awaitTrue("bob's daemon has the new name", () -> bob.request("get_group", Map.of("group_id", groupId))
                    .get(30, TimeUnit.SECONDS).path("group").path("name").asText().equals("friends and co"));

            screen.press(KeyType.Tab);
            screen.awaitText("Members (Enter on one to remove it)");
            screen.press(KeyType.ReverseTab); // from "Invite…" to the member list
            int aliceRow = screen.columnOf("alice  admin")[1];
            int listColumn = screen.lines().get(aliceRow).indexOf("alice  admin");
            if (screen.lines().get(aliceRow + 1).startsWith("bob", listColumn)) { // alice first: down to bob
                screen.press(KeyType.ArrowDown);
            }
            screen.press(KeyType.Enter);
            screen.awaitText("Remove bob from friends and co?");
            screen.press(KeyType.ReverseTab); // from "Cancel" (the focus) to "Remove"
            screen.press(KeyType.Enter);
            screen.awaitText("Group friends and co (1 members)");
            awaitTrue("bob's daemon knows he was removed", () -> bob.request("get_group", Map.of("group_id", groupId))
                    .get(30, TimeUnit.SECONDS).path("group").path("state").asText().equals("removed"));

            screen.press(KeyType.Tab);
            screen.awaitText("Members (Enter on one to remove it)");
            screen.press(KeyType.Enter); // "Invite…"
            screen.awaitText("Contacts to invite");
            screen.type(" ");
            screen.press(KeyType.Tab);
            screen.press(KeyType.Enter); // "Invite"
            screen.awaitText("Group friends and co (2 members)");
            awaitTrue("bob is invited again", () -> bob.request("get_group", Map.of("group_id", groupId))
                    .get(30, TimeUnit.SECONDS).path("group").path("state").asText().equals("invited"));

            screen.ctrl('d'); // the details with the focus on "Leave group"
            screen.awaitText("Members (Enter on one to remove it)");
            screen.press(KeyType.Enter);
            screen.awaitText("Leave friends and co?");
            screen.press(KeyType.ReverseTab);
            screen.press(KeyType.Enter);
            screen.awaitGone("# friends and co");
        }

        // --- change the password: a wrong current one is refused; the new one unlocks, the old one not ---
        String newPassword = "alice's new longer passphrase";
        screen.ctrl('s');
        screen.awaitText("Desktop notifications");
        screen.press(KeyType.ReverseTab); // from Close back to "Delete account…"
        screen.press(KeyType.ReverseTab); // "Change password…"
        screen.press(KeyType.Enter);
        screen.awaitText("Current password");
        screen.type("not my password");
        screen.press(KeyType.Enter);
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("wrong password");
        assertTrue(screen.everShowed("Changing (Argon2id)"));
        captures.put("change password refused", screen.text());
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("The password is changed.");
        screen.press(KeyType.Enter);
        screen.awaitGone("The password is changed.");
        screen.press(KeyType.Escape);
        screen.awaitGone("Desktop notifications");
        screen.ctrl('l');
        screen.awaitText("Jarvis is locked");
        try (JarvisClient other = JarvisClient.connect(a.data)) {
            awaitTrue("the daemon is locked", () -> other.request("status").get(30, TimeUnit.SECONDS)
                    .path("locked").asBoolean());
            Throwable refused = failure(other.request("unlock", Map.of("password", PASSWORD_A)));
            assertTrue("the old password no longer unlocks: " + refused, String.valueOf(refused).contains("wrong password"));
        }
        screen.type(PASSWORD_A);
        screen.press(KeyType.Enter);
        screen.awaitText("Wrong password, try again");
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("Chat with");

        // --- export the contact card from the settings; bob imports it again ---
        screen.ctrl('s');
        screen.awaitText("Desktop notifications");
        screen.awaitText("User name   alice"); // the suggested file is named after us
        // the notifications switch first: Space writes the setting where the daemon reads it
        screen.press(KeyType.Tab); // "Show QR code"
        screen.press(KeyType.Tab); // "Copy link code"
        screen.press(KeyType.Tab); // "Desktop notifications"
        assertTrue(screen.text(), screen.text().contains("[x] Desktop notifications"));
        screen.type(" ");
        screen.awaitText("[ ] Desktop notifications");
        Path notifyConf = a.data.resolve("etc").resolve("conf").resolve("jarvis.notify.cfg");
        awaitTrue("the switch is written for the daemon", () -> Files.isRegularFile(notifyConf)
                && Files.readAllLines(notifyConf).contains("enabled = false"));
        screen.press(KeyType.Tab); // "Send read receipts"
        screen.press(KeyType.Tab); // "Export contact card…"
        screen.press(KeyType.Enter);
        screen.awaitText("Where to write your contact card");
        screen.press(KeyType.Tab); // "Write"
        screen.press(KeyType.Enter);
        screen.awaitText("Contact card written to " + home.resolve("alice.jcard"));
        assertTrue(Files.isRegularFile(home.resolve("alice.jcard")));
        try (JarvisClient bob = JarvisClient.connect(b.data)) {
            bob.request("remove_contact", Map.of("uid", uidA)).get(30, TimeUnit.SECONDS);
            JsonNode imported = bob.request("import_contact_card", Map.of("path", home.resolve("alice.jcard").toString()))
                    .get(30, TimeUnit.SECONDS).path("contact");
            assertEquals(uidA, imported.path("uid").asText());
            assertEquals(fingerprintA, imported.path("fingerprint").asText());
        }

        // --- export the account (behind the password) ---
        Path export = home.resolve("alice.jexport");
        screen.press(KeyType.Tab); // the focus stayed on "Export contact card…"; next is "Export account…"
        screen.press(KeyType.Enter);
        screen.awaitText("Where to write the account export");
        screen.press(KeyType.Tab);
        screen.press(KeyType.Enter);
        screen.awaitText("Your account password");
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("Account exported to " + export);
        assertTrue(Files.size(export) > 0);

        // --- delete the account: a wrong password is refused, the right one removes the data ---
        screen.press(KeyType.Tab); // "Change password…"
        screen.press(KeyType.Tab); // "Delete account…"
        screen.press(KeyType.Enter);
        screen.awaitText("This deletes your identity");
        captures.put("delete account", screen.text());
        screen.type("wrong password");
        screen.press(KeyType.Enter);
        screen.awaitText("wrong password");
        assertTrue(a.run("status", "--json").out().contains("\"state\":\"unlocked\""));
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("create your identity");
        assertTrue(a.run("status", "--json").out().contains("\"state\":\"none\""));
        Path store = a.data.resolve("store").resolve("jarvis.mv.db");
        awaitTrue("the store is deleted with the account", () -> !Files.exists(store));

        // --- the export is importable: the same identity is back. The import reloads every component by
        // locking and unlocking the daemon; the lock reaches this UI, whose lock screen goes only when the
        // password is given here (docs/tui.md), so the UI leaves the create screen for the lock screen ---
        try (JarvisClient other = JarvisClient.connect(a.data)) {
            JsonNode identity = other.request("import_account", Map.of("filepath", export.toString(), "password", newPassword))
                    .get(60, TimeUnit.SECONDS).path("identity");
            assertEquals(uidA, identity.path("uid").asText());
        }
        screen.awaitText("Jarvis is locked");
        screen.type(newPassword);
        screen.press(KeyType.Enter);
        screen.awaitText("alice  ·  " + grouped(fingerprintA).substring(0, 9));
        writeCaptures("groups-files-account");
    }

    /** In the open file chooser: into {@code directory} (if not null), then the file, then the action button. */
    private static void chooseFile(VirtualScreen screen, String directory, String file) {
        if (directory != null) {
            screen.press(KeyType.Tab); // from the file list to the folder list
            screen.press(KeyType.ArrowDown); // past ".."
            screen.press(KeyType.Enter);
            screen.press(KeyType.ReverseTab); // back to the file list
        }
        screen.awaitText(file);
        if (file.equals("broken.jcard")) { // the list is sorted: bob.jcard, broken.jcard
            screen.press(KeyType.ArrowDown);
        }
        screen.press(KeyType.Enter); // picks the file; the focus moves to the action button
        screen.press(KeyType.Enter);
    }

    private static String awaitGroup(JarvisClient client) {
        String[] id = new String[1];
        awaitTrue("the invitation reaches bob", () -> {
            JsonNode groups = client.request("get_groups").get(30, TimeUnit.SECONDS).path("groups");
            if (groups.size() == 1) {
                id[0] = groups.get(0).path("group_id").asText();
                return true;
            }
            return false;
        });
        return id[0];
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> request) throws Exception {
        try {
            request.get(60, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    private final Map<String, String> captures = new java.util.LinkedHashMap<>();

    /** The screens of the main flows, as text, for the documentation (target/tui-screens.txt). */
    private void writeCaptures(String flow) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        captures.forEach((name, text) -> b.append("=== ").append(name).append(" ===\n").append(text).append("\n\n"));
        Files.writeString(Path.of("target", "tui-screens-" + flow + ".txt"), b.toString(),
                StandardCharsets.UTF_8);
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
