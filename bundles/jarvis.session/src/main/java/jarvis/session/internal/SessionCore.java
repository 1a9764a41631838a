package jarvis.session.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.Endpoint;
import jarvis.api.IdentitySummary;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.session.PeerHealth;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.session.PeerUnavailableException;
import jarvis.api.session.SecurityListener;
import jarvis.api.service.LazyService;
import jarvis.api.session.StatusColour;
import jarvis.api.transport.Transport;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The peer network as a DS component: one authenticated session per contact over every transport present,
 * while the identity is unlocked. All work happens on one thread of its own ({@link SessionManager}); the
 * methods here only validate and hand over, so callers and transport event loops never wait on sessions.
 */
@Component(name = SessionCore.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {PeerNetwork.class, IdentityListener.class, ContactListener.class})
@Designate(ocd = SessionCore.Config.class)
public final class SessionCore implements PeerNetwork, IdentityListener, ContactListener {

    static final String PID = "jarvis.session";
    private static final System.Logger LOG = System.getLogger(SessionCore.class.getName());
    private static final long STOP_TIMEOUT_SECONDS = 10;

    @ObjectClassDefinition(name = "Jarvis session core",
            description = "Sessions with contacts: keepalive, handshake limits, reconnect backoff, unknown keys.")
    public @interface Config {

        @AttributeDefinition(name = "Keepalive interval (s)", min = "1")
        int keepalive_seconds() default 30;

        @AttributeDefinition(name = "Dead after (s)", description = "A session with nothing received this long is closed.",
                min = "2")
        int dead_seconds() default 90;

        @AttributeDefinition(name = "Handshake timeout (s)", min = "1")
        int handshake_timeout_seconds() default 10;

        @AttributeDefinition(name = "First reconnect delay (s)", min = "1")
        int backoff_initial_seconds() default 1;

        @AttributeDefinition(name = "Longest reconnect delay (s)", min = "1")
        int backoff_max_seconds() default 300;

        @AttributeDefinition(name = "Backoff reset after (s)",
                description = "A session that lasted this long resets the reconnect delay to the first one.", min = "1")
        int backoff_reset_seconds() default 60;

        @AttributeDefinition(name = "Unknown keys", description = "What to do with a peer whose key no contact has.",
                options = {@Option(label = "Store as a contact request", value = "request"),
                        @Option(label = "Refuse", value = "refuse")})
        String unknown_keys() default "request";

        @AttributeDefinition(name = "Inbound handshakes at once",
                description = "Further inbound links are closed at once until some finish.", min = "1")
        int max_pending_handshakes() default 256;
    }

    private final ScheduledThreadPoolExecutor sessionThread;
    private final SessionManager manager;

    @Activate
    public SessionCore(Config config, @Reference(name = "contacts") ContactDirectory contacts) {
        SessionSettings settings = SessionSettings.from(config);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "jarvis-session");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.sessionThread = executor;
        this.manager = new SessionManager(executor, Objects.requireNonNull(contacts, "contacts"), settings);
        manager.execute(manager::start);
        LOG.log(System.Logger.Level.INFO, "session core active: " + settings);
    }

    @Modified
    void modified(Config config) {
        SessionSettings settings = SessionSettings.from(config);
        manager.execute(() -> manager.reconfigure(settings));
        LOG.log(System.Logger.Level.INFO, "session core reconfigured: " + settings);
    }

    @Deactivate
    void deactivate() {
        onSessionThread(manager::stop);
        sessionThread.shutdown();
        try {
            if (!sessionThread.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                sessionThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            sessionThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "session core stopped");
    }

    /** Runs a task on the session thread and waits for it, so that a departing service is no longer used after. */
    private void onSessionThread(Runnable task) {
        Future<?> done;
        try {
            done = sessionThread.submit(task);
        } catch (RejectedExecutionException e) {
            return;
        }
        try {
            done.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "session thread did not finish a task", e);
        }
    }

    private void later(Runnable task) {
        try {
            manager.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "session core stopped: event ignored");
        }
    }

    // ---- transports ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(Transport transport, Map<String, Object> properties) {
        Map<String, Object> copy = Map.copyOf(properties);
        later(() -> manager.transportAdded(transport, copy));
    }

    void updatedTransport(Transport transport, Map<String, Object> properties) {
        Map<String, Object> copy = Map.copyOf(properties);
        later(() -> manager.transportModified(transport, copy));
    }

    void unbindTransport(Transport transport) {
        onSessionThread(() -> manager.transportRemoved(transport));
    }

    // ---- whiteboard ----

    /*
     * Whiteboard services are bound as service objects and fetched when first used (see LazyService); the
     * plain-object methods further down are for wiring by hand (tests).
     */

    @Reference(name = "payloadHandler", service = PeerPayloadHandler.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedPayloadHandlerObjects",
            unbind = "unbindPayloadHandlerObjects")
    void bindPayloadHandlerObjects(ComponentServiceObjects<PeerPayloadHandler> objects, Map<String, Object> properties) {
        LazyService<PeerPayloadHandler> lazy = new LazyService<>(objects);
        PeerPayloadHandler wrapper = (uid, type, payload) -> use(lazy).ifPresent(h -> h.received(uid, type, payload));
        bound.put(objects, new Bound(lazy, wrapper));
        bindPayloadHandler(wrapper, properties);
    }

    void updatedPayloadHandlerObjects(ComponentServiceObjects<PeerPayloadHandler> objects, Map<String, Object> properties) {
        Bound b = bound.get(objects);
        if (b != null && b.wrapper() instanceof PeerPayloadHandler h) {
            updatedPayloadHandler(h, properties);
        }
    }

    void unbindPayloadHandlerObjects(ComponentServiceObjects<PeerPayloadHandler> objects) {
        Bound b = unbound(objects);
        if (b != null && b.wrapper() instanceof PeerPayloadHandler h) {
            unbindPayloadHandler(h);
        }
    }

    @Reference(name = "securityListener", service = SecurityListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindSecurityListenerObjects")
    void bindSecurityListenerObjects(ComponentServiceObjects<SecurityListener> objects) {
        LazyService<SecurityListener> lazy = new LazyService<>(objects);
        SecurityListener wrapper = event -> use(lazy).ifPresent(l -> l.securityEvent(event));
        bound.put(objects, new Bound(lazy, wrapper));
        bindSecurityListener(wrapper);
    }

    void unbindSecurityListenerObjects(ComponentServiceObjects<SecurityListener> objects) {
        Bound b = unbound(objects);
        if (b != null && b.wrapper() instanceof SecurityListener l) {
            unbindSecurityListener(l);
        }
    }

    @Reference(name = "connectionListener", service = ConnectionListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindConnectionListenerObjects")
    void bindConnectionListenerObjects(ComponentServiceObjects<ConnectionListener> objects) {
        LazyService<ConnectionListener> lazy = new LazyService<>(objects);
        ConnectionListener wrapper = (uid, previous, current) ->
                use(lazy).ifPresent(l -> l.connectionChanged(uid, previous, current));
        bound.put(objects, new Bound(lazy, wrapper));
        bindConnectionListener(wrapper);
    }

    void unbindConnectionListenerObjects(ComponentServiceObjects<ConnectionListener> objects) {
        Bound b = unbound(objects);
        if (b != null && b.wrapper() instanceof ConnectionListener l) {
            unbindConnectionListener(l);
        }
    }

    /** A whiteboard service as bound: fetched on use, and the wrapper the session machinery holds instead. */
    private record Bound(LazyService<?> lazy, Object wrapper) {
    }

    private final Map<ComponentServiceObjects<?>, Bound> bound = new ConcurrentHashMap<>();

    private Bound unbound(ComponentServiceObjects<?> objects) {
        Bound b = bound.remove(objects);
        if (b != null) {
            b.lazy().release();
        }
        return b;
    }

    /** The service, or empty (logged) when it cannot be had now: the call is skipped, senders resend. */
    private static <T> Optional<T> use(LazyService<T> lazy) {
        Optional<T> service = lazy.get();
        if (service.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "a whiteboard service could not be fetched; the call was skipped");
        }
        return service;
    }

    void bindPayloadHandler(PeerPayloadHandler handler, Map<String, Object> properties) {
        manager.router.add(handler, properties);
    }

    void updatedPayloadHandler(PeerPayloadHandler handler, Map<String, Object> properties) {
        manager.router.update(handler, properties);
    }

    void unbindPayloadHandler(PeerPayloadHandler handler) {
        manager.router.remove(handler);
    }

    void bindSecurityListener(SecurityListener listener) {
        manager.alarm.add(listener);
    }

    void unbindSecurityListener(SecurityListener listener) {
        manager.alarm.remove(listener);
    }

    void bindConnectionListener(ConnectionListener listener) {
        manager.table.addListener(listener);
    }

    void unbindConnectionListener(ConnectionListener listener) {
        manager.table.removeListener(listener);
    }

    // ---- IdentityListener ----

    @Override
    public void identityUnlocked(UnlockedIdentity identity) {
        later(() -> manager.unlocked(identity));
    }

    @Override
    public void identityLocked(IdentitySummary identity) {
        later(manager::locked);
    }

    @Override
    public void identityDeleted(IdentitySummary identity) {
        later(manager::locked);
    }

    // ---- ContactListener ----

    @Override
    public void contactAdded(Contact contact) {
        later(() -> manager.contactAdded(contact));
    }

    @Override
    public void contactChanged(Contact previous, Contact current) {
        later(() -> manager.contactChanged(previous, current));
    }

    @Override
    public void contactRemoved(Contact contact) {
        later(() -> manager.contactRemoved(contact));
    }

    // ---- PeerNetwork ----

    @Override
    public ConnectionState state(String contactUid) {
        Peer peer = manager.table.get(contactUid);
        return peer == null ? ConnectionState.OFFLINE : peer.state;
    }

    @Override
    public List<PeerHealth> health() {
        return manager.table.peers().stream().map(Peer::health).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public StatusColour status(Collection<String> contactUids) {
        int online = 0;
        for (String uid : contactUids) {
            if (state(uid) == ConnectionState.ONLINE) {
                online++;
            }
        }
        return StatusColour.of(online, contactUids.size());
    }

    @Override
    public CompletionStage<Void> send(String contactUid, int contentType, byte[] payload) {
        Objects.requireNonNull(contactUid, "contactUid");
        Objects.requireNonNull(payload, "payload");
        if (contentType < FIRST_APPLICATION_TYPE || contentType > 255) {
            throw new IllegalArgumentException("content type must be " + FIRST_APPLICATION_TYPE + " to 255, not "
                    + contentType);
        }
        if (payload.length > SessionManager.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + SessionManager.MAX_PAYLOAD);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        Peer peer = manager.table.get(contactUid);
        if (peer == null || peer.state != ConnectionState.ONLINE) {
            result.completeExceptionally(new PeerUnavailableException("contact " + contactUid + " is not online"));
            return result;
        }
        if (peer.queuedSends.incrementAndGet() > SessionManager.MAX_QUEUED_SENDS) {
            peer.queuedSends.decrementAndGet();
            result.completeExceptionally(new PeerUnavailableException("too many sends queued for " + contactUid));
            return result;
        }
        // Copied now: the caller may reuse its array as soon as send() returns.
        byte[] copy = payload.clone();
        try {
            manager.execute(() -> manager.sendPayload(contactUid, contentType, copy, result));
        } catch (RejectedExecutionException e) {
            peer.queuedSends.decrementAndGet();
            result.completeExceptionally(new PeerUnavailableException("the session core is stopped"));
        }
        return result;
    }

    @Override
    public void connectNow(String contactUid) {
        later(() -> manager.connectNow(contactUid));
    }

    // ---- views for tests in this package ----

    List<Endpoint> listeningEndpoints() {
        return manager.listeningEndpoints();
    }

    int openWires() {
        return manager.openWires();
    }

    int pendingHandshakes() {
        return manager.pendingHandshakes();
    }

    String sessionId(String contactUid) {
        return manager.sessionId(contactUid);
    }
}
