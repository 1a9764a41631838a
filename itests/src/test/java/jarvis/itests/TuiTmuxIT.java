package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * One smoke run of {@code bin/jarvis} with no command in a real terminal: tmux gives it a pty,
 * {@code send-keys} types and {@code capture-pane} reads the screen. It starts the daemon by itself,
 * creates the identity, opens the settings with Ctrl+S (which a terminal with flow control on would
 * swallow), locks and unlocks, and quits with exit code 0. Skipped, saying so, where tmux is missing
 * (.ci/run installs it).
 */
public class TuiTmuxIT {

    private static final long WAIT_SECONDS = 60;
    private static final String PASSWORD = "smoke test passphrase";

    private final String socket = "jarvis-itest-" + ProcessHandle.current().pid();
    private CliInstall install;

    @After
    public void stop() throws Exception {
        tmux("kill-server");
        if (install != null) {
            install.run("daemon", "stop");
            install.daemons().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void theUiRunsInARealTerminal() throws Exception {
        Assume.assumeTrue("tmux is not installed: the real-terminal smoke test is skipped (.ci/run installs tmux)",
                tmuxAvailable());
        Path cache = ContainerSetup.newDirectory("tmux-cache");
        install = CliInstall.unpack("tmux", cache);
        install.writeConf("jarvis.ipc", "ipc.port = 0");
        install.writeConf("jarvis.transport.tcp", "transport.listen = tcp://127.0.0.1:" + CliInstall.freePort());
        Path script = cache.resolve("run-jarvis.sh");
        Files.writeString(script, String.join("\n",
                "export JAVA_HOME='" + System.getProperty("java.home") + "'",
                "export XDG_CACHE_HOME='" + cache + "'",
                "export LANG=C.UTF-8",
                "unset JARVIS_HOME JARVIS_JAVA_OPTS",
                "'" + install.root.resolve("bin/jarvis") + "' --data-dir '" + install.data + "'",
                "echo \"EXITED $?\"",
                "sleep 120", ""), StandardCharsets.UTF_8);

        assertEquals(0, tmux("-f", "/dev/null", "new-session", "-d", "-s", "smoke", "-x", "100", "-y", "36", "sh",
                script.toString()));

        awaitScreen("create your identity");
        keys("-l", "smoke");
        keys("Tab");
        keys("-l", PASSWORD);
        keys("Enter");
        keys("-l", PASSWORD);
        keys("Enter");
        awaitScreen("No contacts yet");
        assertTrue(capture(), capture().contains("Status: no contacts"));

        // An emoji typed in a real terminal arrives as four UTF-8 bytes (sent as bytes, whatever the
        // locale of this JVM) and shows as one character two columns wide, the text after it in place.
        keys("-l", "hi ");
        keys("-H", "f0", "9f", "8e", "89");
        keys("-l", " there");
        awaitScreen("> hi \uD83C\uDF89 there");
        String line = capture().lines().filter(l -> l.contains("> hi ")).findFirst().orElseThrow();
        assertTrue("the input line's frame is where it belongs: " + line, line.matches(".*> hi \uD83C\uDF89 there +│"));
        assertEquals("the row is exactly as wide as the pane (the emoji's two chars are its two columns): " + line,
                100, line.length());
        assertFalse(capture(), capture().contains("\uFFFD"));
        for (int i = 0; i < " there".length() + 1; i++) {
            keys("BSpace");
        }
        awaitScreen("> hi  "); // Backspace took the whole emoji at once
        assertFalse(capture(), capture().contains("\uD83C"));

        keys("C-s");
        awaitScreen("Desktop notifications");
        keys("Escape");
        awaitGone("Desktop notifications");

        keys("C-l");
        awaitScreen("Jarvis is locked");
        keys("-l", PASSWORD);
        keys("Enter");
        awaitScreen("No contacts yet");

        keys("C-q");
        awaitScreen("EXITED 0");
        CliInstall.Result status = install.run("status", "--json");
        assertTrue("the daemon the UI started keeps running: " + status, status.code() == 0
                && status.out().contains("\"username\":\"smoke\""));
    }

    private static boolean tmuxAvailable() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "smoke"));
        args.addAll(List.of(keys));
        assertEquals(0, tmux(args.toArray(String[]::new)));
    }

    private String capture() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-t", "smoke").start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    private void awaitScreen(String text) throws Exception {
        try {
            Awaitility.await("the terminal shows \"" + text + "\"").atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                    .pollInterval(200, TimeUnit.MILLISECONDS).until(() -> capture().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the terminal does not show \"" + text + "\"; it shows:\n" + capture(), e);
        }
    }

    private void awaitGone(String text) {
        Awaitility.await("the terminal no longer shows \"" + text + "\"").atMost(WAIT_SECONDS, TimeUnit.SECONDS)
                .pollInterval(200, TimeUnit.MILLISECONDS).until(() -> !capture().contains(text));
    }

    private int tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("TMUX"); // a test run from inside tmux must not talk to the user's server
        pb.environment().put("LANG", "C.UTF-8"); // tmux draws UTF-8 only when its locale says so
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return -1;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
