package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * A daemon whose data directory is on a small file system that fills up while it writes
 * (docs/testing.md, "Fault injection"). The file system is a tmpfs of a few MiB, mounted for the test; that
 * needs root (or CAP_SYS_ADMIN), and without it the test is skipped and says why. While the disk is full a
 * send must fail with a clear error (never be acknowledged and then lost); the daemon keeps running and its
 * database stays usable; once space is freed, sends succeed again and everything acknowledged before is
 * intact, delivered exactly once, and still there after a restart.
 */
public class DiskFullIT {

    static final int SIZE_MIB = 48;
    static final int TEXT_BYTES = 4096;
    static final int MAX_SENDS_WHILE_FULL = 600;

    private Path mountPoint;
    private final List<DaemonNode> nodes = new ArrayList<>();

    @After
    public void cleanUp() throws Exception {
        // The daemon's warnings and errors, printed before the file system (and its log) goes away.
        for (DaemonNode n : nodes) {
            Path log = n.install.data.resolve("logs/jarvisd.0.log");
            if (Files.isReadable(log)) {
                try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    lines.filter(l -> l.contains(" WARNING ") || l.contains(" SEVERE ") || l.contains(" ERROR "))
                            .limit(40).forEach(l -> System.out.println(n.name + " log: " + l));
                } catch (java.io.UncheckedIOException e) {
                    System.out.println(n.name + " log unreadable: " + e.getMessage());
                }
            }
        }
        nodes.forEach(DaemonNode::close);
        if (mountPoint != null) {
            for (DaemonNode n : nodes) {
                for (ProcessHandle p : n.install.daemons()) {
                    p.onExit().get(30, TimeUnit.SECONDS);
                }
            }
            if (Mount.run("umount", mountPoint.toString()) != null) {
                // Still busy (a process that is not ours): detach it now, the kernel frees it when it is let go.
                Mount.run("umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    public void aFullDiskRefusesSendsClearlyAndLosesNothingAcknowledged() throws Exception {
        Path dir = ContainerSetup.newDirectory("small-fs");
        String refusal = Mount.run("mount", "-t", "tmpfs", "-o", "size=" + SIZE_MIB + "m,mode=0700", "tmpfs", dir.toString());
        Assume.assumeTrue("DiskFullIT needs to mount a " + SIZE_MIB + " MiB tmpfs (root or CAP_SYS_ADMIN); mount said: "
                + refusal, refusal == null);
        mountPoint = dir;
        Path cache = ContainerSetup.newDirectory("disk-cache");
        DaemonNode alice = DaemonNode.create("alice", cache, Files.createDirectory(dir.resolve("data-alice")));
        DaemonNode bob = DaemonNode.create("bob", cache, null);
        nodes.add(alice);
        nodes.add(bob);
        DaemonNode.connect(alice, bob, bob.endpoint(), alice.endpoint());

        // Some messages while there is room.
        Burst before = new Burst("before-full", 200).baseline(bob, alice);
        before.send(alice.ipc(), bob.uid());
        assertEquals(200, before.acknowledged.size());

        // Fill the file system to the last byte.
        Path filler = dir.resolve("filler");
        long filled = fill(filler);
        long pid = alice.pid();

        // Send until the store cannot take more: each send is acknowledged or refused, none both.
        Burst whileFull = new Burst("while-full", MAX_SENDS_WHILE_FULL, TEXT_BYTES).baseline(bob, alice);
        whileFull.send(alice.ipc(), bob.uid());
        assertEquals("every send was answered", 0, whileFull.unanswered.size());
        assertTrue("the full disk refused some sends (filled " + filled + " bytes, " + whileFull.acknowledged.size()
                + " acknowledged)", whileFull.refused.size() > 0);
        Set<String> errors = new HashSet<>(whileFull.refused.values());
        System.out.println("DiskFullIT: while full " + whileFull.acknowledged.size() + " acknowledged, "
                + whileFull.refused.size() + " refused: " + errors);
        for (String e : errors) {
            // The send fails where the store first refused (finding the contact, or saving the message), with the
            // store's own words for it.
            String cause = e.startsWith("messages could not be saved: ") ? e.substring("messages could not be saved: ".length()) : e;
            assertTrue("a clear error naming the store: " + e, cause.startsWith("cannot reach the store: ")
                    || cause.startsWith("store read failed: ") || cause.startsWith("store write failed: "));
        }
        assertTrue("the full disk is named: " + errors, errors.stream().anyMatch(e -> e.contains("the disk is full")));
        assertTrue("the daemon is still running", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertEquals("pong", alice.ipc().call("ping", null).path("message").asText());

        // Space comes back: the store answers again by itself (H2 reopens the file on the next use; the first
        // use may still report the old failure), then every send succeeds, without a restart.
        Files.delete(filler);
        KillBurstIT.awaitTrue("the store answers again", 30, () -> alice.ipc()
                .answer("get_unread_count", JsonIpc.params().put("uid", bob.uid())).path("success").asBoolean());
        Burst after = new Burst("after-full", 200).baseline(bob, alice);
        after.send(alice.ipc(), bob.uid());
        assertEquals("sends succeed once space is free: " + after.refused.values().stream().distinct().toList(), 200,
                after.acknowledged.size());

        // Everything acknowledged is delivered exactly once and in order.
        for (Burst b : List.of(before, whileFull, after)) {
            KillBurstIT.awaitDelivered(alice, bob, b, b.acknowledgedIds(), 120);
            Burst.Outcome o = b.received(bob.history(alice.uid()));
            assertEquals(b.prefix, b.acknowledgedIds(), o.ids());
            assertEquals(0, o.duplicates());
            assertEquals(0, o.orderViolations());
        }
        Map<String, String> stored = whileFull.sent(alice.history(bob.uid()));
        assertEquals("a refused send left nothing behind", whileFull.acknowledgedIds(), stored.keySet());

        // The database survived: a restart opens it and finds every acknowledged message.
        alice.stop();
        alice.restart();
        for (Burst b : List.of(before, whileFull, after)) {
            assertTrue(b.prefix, b.sent(alice.history(bob.uid())).keySet().containsAll(b.acknowledgedIds()));
        }
        System.out.println("DiskFullIT: " + SIZE_MIB + " MiB tmpfs, filled with " + filled + " bytes; before " + before.count
                + " acknowledged " + before.acknowledged.size() + "; while full " + whileFull.count + " tried, acknowledged "
                + whileFull.acknowledged.size() + ", refused " + whileFull.refused.size() + " (" + errors + "); after "
                + after.acknowledged.size() + "/" + after.count + "; all acknowledged delivered once, intact after a restart;"
                + " load " + Load.now());
    }

    /** Writes until the file system refuses; returns the bytes written. */
    private static long fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // The last partial block: fill what the 64 KiB writes left.
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(block, 0, 512);
                written += 512;
            }
        } catch (IOException full) {
            return written;
        }
    }

    /** mount / umount as a process; null when it worked, else what it said. */
    static final class Mount {
        private Mount() {
        }

        static String run(String... command) throws Exception {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return command[0] + " did not finish";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
        }
    }
}
