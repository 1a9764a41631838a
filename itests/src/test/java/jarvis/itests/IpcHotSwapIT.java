package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;
import jarvis.api.Message;
import jarvis.api.contacts.ContactService;
import jarvis.api.identity.IdentityService;
import jarvis.api.messaging.MessageService;
import jarvis.api.session.PeerNetwork;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Stop and start the IPC bundle while a peer keeps sending messages: none is lost or stored twice,
 * the session to the peer never drops, and a client that connects again gets the events of what
 * arrives next.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IpcHotSwapIT {

    private static final int MESSAGES = 300;
    private static final long WAIT_SECONDS = 60;

    @Inject
    private BundleContext context;

    @Inject
    private IdentityService identity;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerSetup.options(ContainerSetup.newDirectory("data"), ContainerSetup.newDirectory("plugins"));
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(30));
            assertNotNull(type.getSimpleName() + " did not appear", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    private static void log(String step) {
        System.out.println(Instant.now() + " ipc-hot-swap: " + step);
    }

    /** Waits for the socket file to be created again, without polling the file system. */
    private static void awaitSocket(Path socket) throws Exception {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            socket.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!Files.exists(socket)) {
                var key = watch.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (key == null) {
                    throw new AssertionError("the IPC socket did not come back within " + WAIT_SECONDS + " s");
                }
                key.pollEvents();
                key.reset();
            }
        }
    }

    @Test
    public void ipcRestartsWhileMessagesKeepArriving() throws Exception {
        identity.create("ipc-swap", "correct horse battery staple".toCharArray());
        ContactService contacts = await(ContactService.class);
        MessageService messages = await(MessageService.class);
        Path socket = Paths.get(context.getProperty("jarvis.data"), "run", "jarvisd.sock");
        Bundle ipc = Arrays.stream(context.getBundles()).filter(b -> "jarvis.ipc".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();

        try (SpecPeer peer = new SpecPeer()) {
            List<ConnectionState> states = new CopyOnWriteArrayList<>();
            java.util.concurrent.CountDownLatch online = new java.util.concurrent.CountDownLatch(1);
            ConnectionListener listener = (uid, previous, current) -> {
                if (uid.equals(peer.uid)) {
                    states.add(current);
                    if (current == ConnectionState.ONLINE) {
                        online.countDown();
                    }
                }
            };
            var registration = context.registerService(ConnectionListener.class, listener, new Hashtable<>());
            try {
                contacts.add(peer.uid, "spec-peer", peer.publicKeyHex(), List.of(Endpoint.tcp("127.0.0.1", peer.port())));
                // As the IPC and console do after adding a contact: dial it now.
                await(PeerNetwork.class).connectNow(peer.uid);
                assertEquals("online", peer.events.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                assertTrue("the contact did not go ONLINE: " + states, online.await(WAIT_SECONDS, TimeUnit.SECONDS));
                int onlineIndex = states.indexOf(ConnectionState.ONLINE);
                assertTrue("the contact went ONLINE: " + states, onlineIndex >= 0);

                IpcConnection before = new IpcConnection(socket);
                assertTrue(before.call(1, "hello", "{\"version\":1}").contains("\"success\":true"));

                // The peer sends in the background while the IPC bundle goes away and comes back.
                List<String> sent = new CopyOnWriteArrayList<>();
                AtomicReference<Exception> failure = new AtomicReference<>();
                Thread sender = new Thread(() -> {
                    try {
                        for (int i = 0; i < MESSAGES; i++) {
                            sent.add(peer.sendMessage("burst " + i));
                            if (i % 10 == 9) {
                                // Spread the burst over the restart without a timer: wait for the daemon's ACKs.
                                while (peer.acked.size() < i - 50) {
                                    Thread.onSpinWait();
                                }
                            }
                        }
                    } catch (Exception e) {
                        failure.set(e);
                    }
                }, "spec-peer-sender");
                sender.start();

                // Messages are flowing once the daemon acknowledges them.
                String firstAck = peer.acked.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull("no message acknowledged", firstAck);
                log("messages flowing; stopping jarvis.ipc");
                ipc.stop();
                assertEquals("the client is disconnected", IpcConnection.CLOSED, before.await("\u0000never", WAIT_SECONDS));
                log("client disconnected; starting jarvis.ipc");
                ipc.start();
                awaitSocket(socket);
                IpcConnection after = new IpcConnection(socket);
                assertTrue(after.call(1, "hello", "{\"version\":1}").contains("\"success\":true"));
                log("client reconnected");

                sender.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                if (failure.get() != null) {
                    throw failure.get();
                }
                String last = peer.sendMessage("after the restart");
                assertTrue("the reconnected client hears new messages",
                        after.await("after the restart", WAIT_SECONDS).contains("message_received"));

                // Every message acknowledged (stored) exactly once, all of them in the history.
                Set<String> acked = new HashSet<>();
                acked.add(firstAck);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (acked.size() < MESSAGES + 1 && System.nanoTime() < deadline) {
                    String id = peer.acked.poll(1, TimeUnit.SECONDS);
                    if (id != null) {
                        acked.add(id);
                    }
                }
                Set<String> expected = new HashSet<>(sent);
                expected.add(last);
                assertEquals("every message acknowledged", expected, acked);
                List<Message> history = new ArrayList<>();
                String cursor = null;
                List<Message> page;
                do {
                    page = messages.history(peer.uid, cursor, 500);
                    history.addAll(page);
                    cursor = page.isEmpty() ? null : page.get(page.size() - 1).id();
                } while (page.size() == 500);
                assertEquals("each message stored once", MESSAGES + 1, history.size());
                assertEquals(MESSAGES + 1, history.stream().map(Message::id).distinct().count());
                log(MESSAGES + 1 + " messages sent, " + acked.size() + " acknowledged, " + history.size() + " stored");

                // The session never dropped: ONLINE was the last change, and nothing came after it.
                assertEquals("connection changes after ONLINE: " + states, onlineIndex, states.size() - 1);
                assertEquals(Bundle.ACTIVE, ipc.getState());
                after.close();
            } finally {
                registration.unregister();
            }
        }
    }
}
