package jarvis.ipc.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jarvis.api.account.AccountService;
import jarvis.api.contacts.ContactService;
import jarvis.api.feature.FeatureService;
import jarvis.api.groups.GroupService;
import jarvis.api.identity.IdentityService;
import jarvis.api.messaging.MessageService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.transport.Transport;

/**
 * The daemon services the commands use, each of which may come and go while the IPC server runs
 * (the contact list exists only while the identity is unlocked; the session core and features may be
 * uninstalled). Unbinding compares identity, so a replacement bound first is never lost.
 */
final class DaemonServices {

    final AtomicReference<IdentityService> identity = new AtomicReference<>();
    final AtomicReference<ContactService> contacts = new AtomicReference<>();
    final AtomicReference<PeerNetwork> network = new AtomicReference<>();
    final AtomicReference<FeatureService> features = new AtomicReference<>();
    final AtomicReference<MessageService> messages = new AtomicReference<>();
    final AtomicReference<GroupService> groups = new AtomicReference<>();
    final AtomicReference<AccountService> accounts = new AtomicReference<>();
    /** Every transport with its service properties (scheme, listen endpoint). */
    final Map<Transport, Map<String, Object>> transports = new ConcurrentHashMap<>();

    static <T> void unbind(AtomicReference<T> ref, T service) {
        ref.compareAndSet(service, null);
    }

    IdentityService identity() throws CommandFailure {
        return require(identity.get(), "identity is");
    }

    ContactService contacts() throws CommandFailure {
        return require(starting(contacts), "contacts are");
    }

    PeerNetwork network() throws CommandFailure {
        return require(network.get(), "the peer network is");
    }

    MessageService messages() throws CommandFailure {
        return require(starting(messages), "messaging is");
    }

    GroupService groups() throws CommandFailure {
        return require(starting(groups), "groups are");
    }

    /**
     * How long after an unlock a command waits for the services that start with the store (contacts,
     * messaging, groups). The unlock is answered once the keys are in memory; the store opens and those
     * services register moments later, and a client that goes on at once (add a contact right after
     * creating the identity) must not be told they are missing.
     */
    static final long STARTING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final Object bindings = new Object();
    private volatile long unlockedAt = System.nanoTime() - 2 * STARTING_NANOS;

    /** The identity was unlocked just now. */
    void unlocked(boolean now) {
        unlockedAt = now ? System.nanoTime() : System.nanoTime() - 2 * STARTING_NANOS;
    }

    /** A service was bound: commands waiting for it go on. */
    void bound() {
        synchronized (bindings) {
            bindings.notifyAll();
        }
    }

    // Commands run on worker threads, so a bounded wait here never holds up the event loop.
    private <T> T starting(AtomicReference<T> ref) {
        T service = ref.get();
        if (service != null) {
            return service;
        }
        synchronized (bindings) {
            while ((service = ref.get()) == null && unlocked()) {
                long left = unlockedAt + STARTING_NANOS - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(bindings, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return service;
    }

    /** The whole-account service, absent in a daemon without the account bundle (identity-only exports then). */
    Optional<AccountService> accounts() {
        return Optional.ofNullable(accounts.get());
    }

    FeatureService features() throws CommandFailure {
        return require(features.get(), "features are");
    }

    Optional<PeerNetwork> optionalNetwork() {
        return Optional.ofNullable(network.get());
    }

    /** Whether the identity's keys are in memory: the gate for every command that needs them. */
    boolean unlocked() {
        IdentityService s = identity.get();
        return s != null && s.unlocked().isPresent();
    }

    /** Our uid while the identity is unlocked. */
    Optional<String> selfUid() {
        return Optional.ofNullable(identity.get()).flatMap(IdentityService::unlocked).map(u -> u.summary().uid());
    }

    List<Map<String, Object>> transportProperties() {
        return List.copyOf(transports.values());
    }

    private static <T> T require(T service, String what) throws CommandFailure {
        if (service == null) {
            throw CommandFailure.unavailable(what);
        }
        return service;
    }
}
