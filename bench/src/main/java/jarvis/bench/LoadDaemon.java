package jarvis.bench;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.crypto.Fingerprint;
import jarvis.crypto.X25519KeyPair;
import jarvis.session.internal.BenchSessionCores;
import jarvis.session.internal.SessionCore;
import jarvis.transport.tcp.internal.BenchTcp;
import jarvis.transport.tcp.internal.TcpTransport;

/**
 * One daemon as far as sessions go, built as the session tests' Daemon fixture builds it: a real
 * {@link TcpTransport} on 127.0.0.1, a real {@link SessionCore}, an identity and a contact directory in memory,
 * plus counters fed by the core's whiteboard (connection changes, security events, received payloads).
 */
final class LoadDaemon implements AutoCloseable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    final BenchIdentity identity;
    final MapContacts contacts = new MapContacts();
    final SessionCore core;
    final TcpTransport tcp;
    /** Contacts online now, sessions that came online in total, sessions that went offline in total. */
    final AtomicLong online = new AtomicLong();
    final AtomicLong onlineTotal = new AtomicLong();
    final AtomicLong offlineTotal = new AtomicLong();
    final AtomicLong securityEvents = new AtomicLong();
    final AtomicReference<String> lastSecurityEvent = new AtomicReference<>("");

    /**
     * @param contacts contacts known before the identity unlocks (the simulated peers), may be empty
     * @param handler  receives every application payload, or null
     */
    LoadDaemon(String name, BenchSettings settings, int maxConnections, int idleTimeoutSeconds, List<Contact> contacts,
            PeerPayloadHandler handler) {
        X25519KeyPair keys = X25519KeyPair.generate(new SecureRandom());
        byte[] uid = new byte[16];
        new SecureRandom().nextBytes(uid);
        this.identity = new BenchIdentity(HexFormat.of().formatHex(uid), name, keys);
        for (Contact c : contacts) {
            this.contacts.put(c);
        }
        this.core = new SessionCore(settings, this.contacts);
        if (handler != null) {
            BenchSessionCores.bindPayloadHandler(core, handler);
        }
        BenchSessionCores.bindSecurityListener(core, event -> {
            securityEvents.incrementAndGet();
            lastSecurityEvent.set(event.kind() + ": " + event.detail());
        });
        BenchSessionCores.bindConnectionListener(core, (contactUid, previous, current) -> {
            if (current == ConnectionState.ONLINE && previous != ConnectionState.ONLINE) {
                online.incrementAndGet();
                onlineTotal.incrementAndGet();
            } else if (previous == ConnectionState.ONLINE && current != ConnectionState.ONLINE) {
                online.decrementAndGet();
                offlineTotal.incrementAndGet();
            }
        });
        this.tcp = BenchTcp.start(maxConnections, idleTimeoutSeconds);
        BenchSessionCores.bindTransport(core, tcp, "tcp", "tcp://127.0.0.1:0");
        core.identityUnlocked(identity);
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (BenchSessionCores.listeningEndpoints(core).isEmpty()) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + " did not start listening within 10 s");
            }
            sleep(10);
        }
    }

    Endpoint endpoint() {
        return BenchSessionCores.listeningEndpoints(core).get(0);
    }

    Contact asContact(Endpoint... endpoints) {
        byte[] key = identity.publicKey();
        return new Contact(identity.uid(), identity.summary().username(), Fingerprint.of(key).hex(),
                identity.publicKeyHex(), List.of(endpoints), true, false);
    }

    /** Adds another daemon as a contact reachable at the given endpoints (none: only answer its calls). */
    void know(LoadDaemon other, Endpoint... endpoints) {
        Contact contact = other.asContact(endpoints);
        contacts.put(contact);
        core.contactAdded(contact);
    }

    /** The simulated peer {@code index}'s contact entry, derived from the seed (see {@link BenchKeys}). */
    static Contact simulatedContact(long seed, int index) {
        X25519KeyPair keys = BenchKeys.key(seed, index);
        try {
            byte[] key = keys.publicKey();
            return new Contact(BenchKeys.uid(seed, index), BenchKeys.username(index), Fingerprint.of(key).hex(),
                    HexFormat.of().formatHex(key), List.of(), true, false);
        } finally {
            keys.destroy();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        BenchSessionCores.stop(core);
        BenchTcp.stop(tcp);
    }
}
