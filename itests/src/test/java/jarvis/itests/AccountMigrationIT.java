package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import jarvis.crypto.LegacyJarvis1Crypto;
import org.junit.After;
import org.junit.Test;

/**
 * The migration from Jarvis 1.x and the account file, through real daemon processes of the distribution driven by
 * {@code bin/jarvis} as a user or script would: {@code import-legacy} of a 1.x folder built from the 1.x vectors
 * (left untouched), then {@code export-account} and {@code import-account} into a second daemon with its own data
 * directory. Loopback only; every command is bounded.
 */
public class AccountMigrationIT {

    private static final String PASSWORD = "correct horse";
    private static final String UID = "0123456789abcdef0123456789abcdef";
    private static final String A_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String A_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String A_FINGERPRINT = "300c9c9603b92a4b39ed3958bf9240114804db4fd373012c0ca47432d63425ae";
    private static final String B_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String B_FINGERPRINT = "f35e5616160a30bf3c6e79fa73c576d40205e8fc3ba4e1c6dcf93e6b98e857b4";
    private static final String BOB_UID = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";

    private CliInstall old;
    private CliInstall fresh;

    @After
    public void killLeftovers() {
        // Only if an assertion failed half-way: the test itself stops its daemons and asserts it.
        for (CliInstall i : new CliInstall[] {old, fresh}) {
            if (i != null) {
                i.daemons().forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** A 1.x data directory as 1.x writes it, with key pair "a" of the vectors as its identity and "b" as bob. */
    private static Path jarvis1Folder(Path dir) throws Exception {
        Files.createDirectories(dir);
        String identity = "{\"uid\": \"" + UID + "\", \"username\": \"alice\", \"keypair\": {\"private\": \""
                + b64(A_PRIVATE) + "\", \"public\": \"" + b64(A_PUBLIC) + "\"}, \"created_at\": "
                + "\"2025-03-14T09:26:53.589793+00:00\", \"fingerprint\": \"" + A_FINGERPRINT
                + "\", \"listen_port\": 5000}";
        Files.writeString(dir.resolve("identity.enc"), LegacyJarvis1Crypto.sealIdentity(PASSWORD.toCharArray(),
                identity.getBytes(StandardCharsets.UTF_8), new SecureRandom()).toJson());
        Files.writeString(dir.resolve("contacts.json"), "{\n  \"" + BOB_UID + "\": {\n    \"uid\": \"" + BOB_UID
                + "\",\n    \"username\": \"bob\",\n    \"public_key\": \"" + b64(B_PUBLIC) + "\",\n    \"host\": "
                + "\"localhost\",\n    \"port\": 5000,\n    \"fingerprint\": \"" + B_FINGERPRINT + "\",\n    "
                + "\"verified\": true,\n    \"notes\": \"\",\n    \"last_seen\": null,\n    \"status\": \"offline\",\n"
                + "    \"added_at\": \"2025-03-14T10:00:00+00:00\"\n  }\n}");
        Files.writeString(dir.resolve("groups.json"), "{}");
        Files.writeString(dir.resolve("messages.json"), "[" + message("m1", "hi bob", true, "2025-03-15T10:00:00")
                + ", " + message("m2", "hi alice", false, "2025-03-15T10:00:05+00:00") + "]");
        return dir;
    }

    private static String message(String id, String text, boolean mine, String at) {
        return "{\"message_id\": \"" + id + "\", \"contact_uid\": \"" + BOB_UID + "\", \"content\": \"" + text
                + "\", \"sent_by_me\": " + mine + ", \"timestamp\": \"" + at + "\", \"delivered\": false, \"read\": "
                + mine + ", \"encrypted\": true, \"group_id\": null, \"sender_uid\": \"" + (mine ? UID : BOB_UID)
                + "\"}";
    }

    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                out.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p) + " "
                        + (Files.isRegularFile(p) ? HexFormat.of().formatHex(Files.readAllBytes(p)) : "dir"));
            }
        }
        return out;
    }

    private static CliInstall install(String name, Path cache) throws Exception {
        CliInstall i = CliInstall.unpack(name, cache);
        i.writeConf("jarvis.ipc", "ipc.port = 0");
        i.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + CliInstall.freePort());
        CliInstall.Result r = i.run("daemon", "start");
        assertEquals(r.toString(), 0, r.code());
        return i;
    }

    @Test
    public void theConsoleMigratesAJarvis1Folder() throws Exception {
        Path dist = Distribution.unpacked();
        Path data = ContainerSetup.newDirectory("console-data");
        Path folder = jarvis1Folder(ContainerSetup.newDirectory("console-jarvis1").resolve(".jarvis"));
        Map<String, String> before = snapshot(folder);
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/jarvisd").toString(), "--console", "--data-dir",
                data.toString()).redirectErrorStream(true);
        pb.environment().remove("JARVIS_HOME");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("XDG_CACHE_HOME", ContainerSetup.newDirectory("console-cache").toString());
        Process daemon = pb.start();
        try {
            // The password is the line after the command: a piped console reads it from the session's input.
            daemon.getOutputStream().write(("identity:import --legacy " + folder + "\n" + PASSWORD
                    + "\njarvis:contacts\n").getBytes(StandardCharsets.UTF_8));
            daemon.getOutputStream().close();
            assertTrue(daemon.waitFor(CliInstall.COMMAND_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS));
            String out = new String(daemon.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(out, 0, daemon.exitValue());
            assertTrue(out, out.contains("Jarvis 1.x account migrated"));
            assertTrue(out, out.contains("1 contacts, 0 groups, 2 messages"));
            assertTrue("jarvis:contacts lists the migrated contact: " + out, out.contains("bob"));
            assertEquals("the 1.x folder is left as it was", before, snapshot(folder));
        } finally {
            daemon.descendants().forEach(ProcessHandle::destroyForcibly);
            daemon.destroyForcibly();
        }
    }

    @Test
    public void aJarvis1FolderMigratesAndTheAccountMovesToAnotherDaemon() throws Exception {
        Path cache = ContainerSetup.newDirectory("account-cache");
        Path folder = jarvis1Folder(ContainerSetup.newDirectory("jarvis1").resolve(".jarvis"));
        Map<String, String> before = snapshot(folder);
        old = install("old", cache);

        CliInstall.Result r = old.runWithInput("wrong\n", "import-legacy", folder.toString(), "--json");
        assertEquals(r.toString(), 6, r.code());
        assertTrue(r.toString(), old.run("status", "--json").out().contains("\"state\":\"none\""));

        r = old.runWithInput(PASSWORD + "\n", "import-legacy", folder.toString(), "--json");
        assertEquals(r.toString(), 0, r.code());
        assertEquals(UID, r.field("uid"));
        assertEquals(A_FINGERPRINT, r.field("fingerprint"));
        assertTrue(r.toString(), r.out().contains("\"contacts\":1") && r.out().contains("\"messages\":2"));
        assertFalse("the password is never echoed", (r.out() + r.err()).contains(PASSWORD));
        assertEquals("the 1.x folder is left as it was", before, snapshot(folder));

        r = old.run("contacts", "--json");
        assertTrue(r.toString(), r.out().contains(BOB_UID) && r.out().contains("\"verified\":true"));
        r = old.run("history", "bob", "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().indexOf("hi bob") >= 0 && r.out().indexOf("hi bob") < r.out().indexOf("hi alice"));

        r = old.runWithInput(PASSWORD + "\n", "import-legacy", folder.toString());
        assertEquals("a second migration is refused: " + r, 1, r.code());
        assertTrue(r.toString(), r.err().contains("identity already"));

        Path file = ContainerSetup.newDirectory("account-file").resolve("alice.jarvis-account");
        r = old.runWithInput(PASSWORD + "\n", "export-account", file.toString(), "--json");
        assertEquals(r.toString(), 0, r.code());
        assertTrue(r.toString(), r.out().contains("\"contacts\":1") && r.out().contains("\"messages\":2"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("hi bob"));

        fresh = install("fresh", cache);
        r = fresh.runWithInput("not it\n", "import-account", file.toString(), "--json");
        assertEquals(r.toString(), 6, r.code());
        r = fresh.runWithInput(PASSWORD + "\n", "import-account", file.toString(), "--json");
        assertEquals(r.toString(), 0, r.code());
        assertEquals(UID, r.field("uid"));
        assertTrue(r.toString(), r.out().contains("\"contacts\":1") && r.out().contains("\"messages\":2"));
        r = fresh.run("history", "bob", "--json");
        assertTrue(r.toString(), r.out().contains("hi bob") && r.out().contains("hi alice"));

        assertEquals(0, old.run("daemon", "stop").code());
        assertEquals(0, fresh.run("daemon", "stop").code());
        assertTrue(old.daemons().isEmpty() && fresh.daemons().isEmpty());
    }
}
