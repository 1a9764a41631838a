package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactService;
import jarvis.api.identity.IdentityService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.store.Store;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Hot swap of the TCP transport under a live session: stopping the bundle takes the contact
 * offline, starting it brings the session back by itself, updating it does both; the daemon (the
 * framework, the unlocked identity, the store) never restarts. The peer is {@link SpecPeer}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final long WAIT_SECONDS = 30;

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
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull(type.getSimpleName() + " did not appear", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    private static void log(String step) {
        System.out.println(Instant.now() + " hot-swap: " + step);
    }

    private static void awaitState(BlockingQueue<ConnectionState> states, ConnectionState wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        ConnectionState s;
        do {
            s = states.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("the contact did not become " + wanted + " within " + WAIT_SECONDS + " s");
            }
        } while (s != wanted);
        log("contact " + wanted);
    }

    private static void awaitPeer(SpecPeer peer, String event) throws Exception {
        String e = peer.events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull("the peer saw no '" + event + "'", e);
        assertTrue("peer: expected " + event + ", saw " + e, e.startsWith(event));
    }

    @Test
    public void transportStopStartAndUpdateUnderALiveSession() throws Exception {
        identity.create("hotswap", "correct horse battery staple".toCharArray());
        ServiceReference<Store> storeBefore = context.getServiceReference(Store.class);
        assertNotNull(await(Store.class));
        storeBefore = context.getServiceReference(Store.class);
        PeerNetwork network = await(PeerNetwork.class);
        ContactService contacts = await(ContactService.class);

        try (SpecPeer peer = new SpecPeer()) {
            BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
            ConnectionListener listener = (uid, previous, current) -> {
                if (uid.equals(peer.uid)) {
                    states.add(current);
                }
            };
            var reg = context.registerService(ConnectionListener.class, listener, new Hashtable<>());
            try {
                contacts.add(peer.uid, "spec-peer", peer.publicKeyHex(), List.of(Endpoint.tcp("127.0.0.1", peer.port())));
                // As the IPC and console do after adding a contact: dial it now.
                network.connectNow(peer.uid);
                awaitState(states, ConnectionState.ONLINE);
                awaitPeer(peer, "online");

                Bundle tcp = Arrays.stream(context.getBundles())
                        .filter(b -> "jarvis.transport.tcp".equals(b.getSymbolicName())).findFirst().orElseThrow();
                long frameworkStart = context.getBundle(0).getLastModified();

                log("stopping jarvis.transport.tcp");
                tcp.stop();
                awaitState(states, ConnectionState.OFFLINE);
                awaitPeer(peer, "closed");
                assertEquals(ConnectionState.OFFLINE, network.state(peer.uid));

                log("starting jarvis.transport.tcp");
                tcp.start();
                awaitState(states, ConnectionState.ONLINE);
                awaitPeer(peer, "online");

                log("updating jarvis.transport.tcp");
                tcp.update();
                awaitState(states, ConnectionState.OFFLINE);
                awaitState(states, ConnectionState.ONLINE);
                awaitPeer(peer, "closed");
                awaitPeer(peer, "online");
                assertEquals(Bundle.ACTIVE, tcp.getState());

                // The daemon itself never restarted: same framework, identity still unlocked, same store.
                assertEquals(frameworkStart, context.getBundle(0).getLastModified());
                assertTrue(identity.unlocked().isPresent());
                assertSame(storeBefore.getProperty("service.id"),
                        context.getServiceReference(Store.class).getProperty("service.id"));
                assertEquals(ConnectionState.ONLINE, network.state(peer.uid));
            } finally {
                reg.unregister();
            }
        }
    }
}
