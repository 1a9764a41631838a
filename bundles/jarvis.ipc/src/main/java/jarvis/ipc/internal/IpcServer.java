package jarvis.ipc.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;
import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.DeliveryState;
import jarvis.api.IdentitySummary;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactService;
import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import jarvis.api.account.AccountService;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupListener;
import jarvis.api.groups.GroupService;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.IdentityService;
import jarvis.api.messaging.MessageService;
import jarvis.api.messaging.TypingListener;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.service.LazyService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.SecurityEvent;
import jarvis.api.session.SecurityListener;
import jarvis.api.transport.Transport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The daemon's local API server (protocol in {@code docs/ipc.md}): JSON lines over a Unix domain
 * socket in the private {@code <data>/run} directory and over loopback TCP guarded by a token that
 * is regenerated at every start. It is also a whiteboard listener of the daemon's events and
 * broadcasts each one to every attached client.
 *
 * <p>Every service it uses is optional and dynamic: the IPC server runs whether or not an identity,
 * a contact list or a session core is present, and says which is missing. A configuration change
 * restarts the component, which disconnects the clients (the client library reconnects).
 */
@Component(name = IpcServer.PID, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {ConnectionListener.class, ContactListener.class, MessageListener.class, SecurityListener.class,
                IdentityListener.class, GroupListener.class, TypingListener.class})
@Designate(ocd = IpcServer.Config.class)
public final class IpcServer implements ConnectionListener, ContactListener, MessageListener, SecurityListener,
        IdentityListener, GroupListener, TypingListener {

    static final String PID = "jarvis.ipc";
    /** Framework property: the daemon's data directory (set by the launcher). */
    static final String DATA_DIR = "jarvis.data";

    @ObjectClassDefinition(name = "Jarvis IPC", description = "The local API for user interfaces and scripts.")
    public @interface Config {

        @AttributeDefinition(name = "TCP port", description = "Loopback port (127.0.0.1); 0 picks a free port. "
                + "The bound port is written to <data>/run/ipc.port.", min = "0", max = "65535")
        int ipc_port() default 5999;

        @AttributeDefinition(name = "Serve loopback TCP", description = "Token-guarded; for clients that cannot use "
                + "Unix sockets.")
        boolean tcp_enabled() default true;

        @AttributeDefinition(name = "Serve the Unix socket", description = "<data>/run/jarvisd.sock, mode 0600.")
        boolean unix_enabled() default true;

        @AttributeDefinition(name = "Longest request line (bytes)", description = "A longer line gets an error and "
                + "the connection is closed.", min = "1024", max = "67108864")
        int max_line_bytes() default 1024 * 1024;

        @AttributeDefinition(name = "Outbound queue per client (lines)", description = "A client that lets more "
                + "responses and events pile up is disconnected.", min = "1")
        int max_queued_events() default 1024;

        @AttributeDefinition(name = "Outbound queue per client (bytes)", min = "1024")
        long max_queued_bytes() default 16L * 1024 * 1024;

        @AttributeDefinition(name = "Worker threads", description = "Run the commands that block (Argon2, store).",
                min = "1", max = "64")
        int worker_threads() default 2;

        @AttributeDefinition(name = "Maximum clients", min = "1")
        int max_clients() default 64;

        @AttributeDefinition(name = "Hello timeout (s)", description = "A client that has not said hello by then "
                + "is disconnected.", min = "1")
        int hello_timeout_seconds() default 10;
    }

    private static final System.Logger LOG = System.getLogger(IpcServer.class.getName());
    private static final int TOKEN_BYTES = 32;
    private static final int WORK_QUEUE = 1024;
    private static final long STOP_TIMEOUT_SECONDS = 5;

    private final DaemonServices services = new DaemonServices();
    private final ClientRegistry clients = new ClientRegistry();
    private final IpcSettings settings;
    private final RunFiles files;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final ThreadLocal<Boolean> onWorker = ThreadLocal.withInitial(() -> false);
    private final List<Channel> servers = new ArrayList<>();
    private volatile Path boundSocket;
    private volatile int boundPort = -1;

    @Activate
    public IpcServer(BundleContext context, Config config) throws IOException {
        this(dataDirectory(context), IpcSettings.from(config), context.getBundle().getVersion().toString(),
                null, context);
    }

    /** Outside OSGi (tests): {@code shutdown} stands for stopping the framework. */
    IpcServer(Path dataDir, IpcSettings settings, String daemonVersion, Runnable shutdown) throws IOException {
        this(dataDir, settings, daemonVersion, Objects.requireNonNull(shutdown, "shutdown"), null);
    }

    private IpcServer(Path dataDir, IpcSettings settings, String daemonVersion, Runnable shutdown,
            BundleContext context) throws IOException {
        this.settings = settings;
        this.files = new RunFiles(dataDir);
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("jarvis-ipc", true),
                NioIoHandler.newFactory());
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORK_QUEUE), workerThreads());
        workers.allowCoreThreadTimeOut(true);
        Runnable stopDaemon = shutdown != null ? shutdown : () -> stopFramework(context);
        try {
            start(daemonVersion, stopDaemon);
        } catch (IOException | RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    private static Path dataDirectory(BundleContext context) {
        String value = context.getProperty(DATA_DIR);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("framework property " + DATA_DIR + " is not set; the launcher sets it");
        }
        return Paths.get(value);
    }

    private ThreadFactory workerThreads() {
        ThreadFactory threads = new DefaultThreadFactory("jarvis-ipc-worker", true);
        return task -> threads.newThread(() -> {
            onWorker.set(true);
            task.run();
        });
    }

    private void start(String daemonVersion, Runnable stopDaemon) throws IOException {
        files.prepare();
        byte[] token = newToken();
        CommandTable commands = new CommandTable(services);
        PeerCommands peers = new PeerCommands(services);
        peers.register(commands);
        new IdentityCommands(services, peers).register(commands);
        new ContactCommands(services).register(commands);
        new MessageCommands(services).register(commands);
        new GroupCommands(services).register(commands);
        // Stopping the framework deactivates this component, so it runs off the event loop.
        new DaemonCommands(services, daemonVersion, () -> runOnWorker(stopDaemon)).register(commands);
        ConnectionHandler.Context context = new ConnectionHandler.Context(settings, token, new RequestParser(),
                commands, workers, clients);

        List<String> serving = new ArrayList<>();
        IOException unixFailure = null;
        if (settings.unixEnabled()) {
            try {
                bindUnix(context);
                serving.add("unix:" + boundSocket);
            } catch (IOException e) {
                unixFailure = e;
                LOG.log(System.Logger.Level.WARNING, "IPC Unix socket not available: " + e.getMessage());
            }
        }
        if (settings.tcpEnabled()) {
            try {
                bindTcp(context, token);
                serving.add("tcp:127.0.0.1:" + boundPort);
            } catch (IOException e) {
                if (serving.isEmpty()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "IPC over TCP not available (Unix socket only): " + e.getMessage());
            }
        }
        if (serving.isEmpty()) {
            throw unixFailure != null ? unixFailure : new IOException("IPC server has nothing to serve");
        }
        LOG.log(System.Logger.Level.INFO, "IPC server listening on " + String.join(", ", serving));
    }

    private byte[] newToken() {
        byte[] raw = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(raw);
        return HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
    }

    private void bindUnix(ConnectionHandler.Context context) throws IOException {
        Path socket = files.socket();
        // One daemon per data directory (the launcher's lock), so a socket file here is a dead daemon's.
        Files.deleteIfExists(socket);
        bind(NioServerDomainSocketChannel.class, UnixDomainSocketAddress.of(socket), context, false);
        boundSocket = socket;
        files.makePrivate(socket);
    }

    private void bindTcp(ConnectionHandler.Context context, byte[] token) throws IOException {
        // The token is in place before the port is announced, so a client that finds the port finds the token.
        files.writePrivate(files.token(), new String(token, StandardCharsets.US_ASCII));
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port());
        Channel server;
        try {
            server = bind(NioServerSocketChannel.class, address, context, true);
        } catch (IOException taken) {
            if (settings.port() == 0) {
                throw taken;
            }
            // Several daemons (identities) on one machine: clients find the port in run/ipc.port anyway.
            LOG.log(System.Logger.Level.WARNING, "IPC port " + settings.port() + " is taken ("
                    + taken.getMessage() + "); listening on a free port instead");
            server = bind(NioServerSocketChannel.class, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    context, true);
        }
        boundPort = ((InetSocketAddress) server.localAddress()).getPort();
        files.writePrivate(files.port(), boundPort + "\n");
    }

    private Channel bind(Class<? extends ServerChannel> type, java.net.SocketAddress address,
            ConnectionHandler.Context context, boolean tokenRequired) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(type)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ClientConnection client = new ClientConnection(channel, tokenRequired,
                                settings.maxQueuedEvents(), settings.maxQueuedBytes());
                        channel.pipeline()
                                .addLast("lines", new LineBasedFrameDecoder(settings.maxLineBytes(), true, true))
                                .addLast("dispatch", new ConnectionHandler(context, client));
                    }
                });
        ChannelFuture bind = bootstrap.bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            bind.channel().close();
            throw new IOException("cannot listen on " + address + ": " + bind.cause().getMessage(), bind.cause());
        }
        synchronized (servers) {
            servers.add(bind.channel());
        }
        return bind.channel();
    }

    private void runOnWorker(Runnable action) {
        try {
            workers.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "IPC server is stopping; shutdown request not carried out");
        }
    }

    private static void stopFramework(BundleContext context) {
        LOG.log(System.Logger.Level.INFO, "shutdown requested over IPC");
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot stop the framework: " + e.getMessage(), e);
        }
    }

    /** Closes the sockets, disconnects every client, stops the threads and removes the run files. */
    @Deactivate
    void deactivate() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        boolean onLoop = onEventLoop();
        List<ChannelFuture> closing = new ArrayList<>();
        synchronized (servers) {
            for (Channel server : servers) {
                closing.add(server.close());
            }
            servers.clear();
        }
        closing.addAll(clients.closeAll());
        if (!onLoop) {
            for (ChannelFuture f : closing) {
                f.awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
            }
        }
        workers.shutdownNow();
        // A command that stopped this bundle (uninstall_feature, shutdown) runs on a worker: never wait for it.
        if (!onWorker.get()) {
            try {
                workers.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        group.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!onLoop) {
            group.terminationFuture().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        if (boundSocket != null) {
            RunFiles.deleteQuietly(boundSocket);
        }
        if (settings.tcpEnabled()) {
            RunFiles.deleteQuietly(files.port());
            RunFiles.deleteQuietly(files.token());
        }
        LOG.log(System.Logger.Level.INFO, "IPC server stopped");
    }

    private boolean onEventLoop() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** The TCP port actually bound, or -1 (tests). */
    int tcpPort() {
        return boundPort;
    }

    /** The Unix socket bound, or {@code null} (tests). */
    Path unixSocket() {
        return boundSocket;
    }

    int attachedClients() {
        return clients.size();
    }

    // --- services (all optional: the IPC server answers "not available" for what is missing) ---

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetIdentity")
    void setIdentity(IdentityService service) {
        services.identity.set(service);
    }

    void unsetIdentity(IdentityService service) {
        DaemonServices.unbind(services.identity, service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetContacts")
    void setContacts(ContactService service) {
        services.contacts.set(service);
        services.bound();
    }

    void unsetContacts(ContactService service) {
        DaemonServices.unbind(services.contacts, service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetNetwork")
    void setNetwork(PeerNetwork service) {
        services.network.set(service);
    }

    void unsetNetwork(PeerNetwork service) {
        DaemonServices.unbind(services.network, service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetMessages")
    void setMessages(MessageService service) {
        services.messages.set(service);
        services.bound();
    }

    void unsetMessages(MessageService service) {
        DaemonServices.unbind(services.messages, service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetGroups")
    void setGroups(GroupService service) {
        services.groups.set(service);
        services.bound();
    }

    void unsetGroups(GroupService service) {
        DaemonServices.unbind(services.groups, service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAccounts")
    void setAccounts(AccountService service) {
        services.accounts.set(service);
    }

    void unsetAccounts(AccountService service) {
        DaemonServices.unbind(services.accounts, service);
    }

    /**
     * The feature service is fetched on first use: the feature manager starts this bundle from inside its own
     * activation, so fetching it here, at bind time, is a cycle SCR answers by leaving it out.
     */
    @Reference(name = "features", service = FeatureService.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindFeatureObjects")
    void bindFeatureObjects(ComponentServiceObjects<FeatureService> objects) {
        LazyFeatures lazy = new LazyFeatures(objects);
        featureObjects.put(objects, lazy);
        setFeatures(lazy);
    }

    void unbindFeatureObjects(ComponentServiceObjects<FeatureService> objects) {
        LazyFeatures lazy = featureObjects.remove(objects);
        if (lazy != null) {
            unsetFeatures(lazy);
            lazy.release();
        }
    }

    private final Map<ComponentServiceObjects<FeatureService>, LazyFeatures> featureObjects =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The feature service, fetched when a command first needs it (see {@link LazyService}). */
    private static final class LazyFeatures implements FeatureService {
        private final LazyService<FeatureService> lazy;

        LazyFeatures(ComponentServiceObjects<FeatureService> objects) {
            this.lazy = new LazyService<>(objects);
        }

        private FeatureService service() throws FeatureException {
            return lazy.get().orElseThrow(() -> new FeatureException("features are not available right now"));
        }

        @Override
        public List<Feature> features() {
            return lazy.get().map(FeatureService::features).orElse(List.of());
        }

        @Override
        public Feature install(String name) throws FeatureException {
            return service().install(name);
        }

        @Override
        public Feature uninstall(String name) throws FeatureException {
            return service().uninstall(name);
        }

        void release() {
            lazy.release();
        }
    }

    void setFeatures(FeatureService service) {
        services.features.set(service);
    }

    void unsetFeatures(FeatureService service) {
        DaemonServices.unbind(services.features, service);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeTransport", updated = "updatedTransport")
    void addTransport(Transport transport, Map<String, Object> properties) {
        services.transports.put(transport, Map.copyOf(properties));
        broadcastTransports();
    }

    void updatedTransport(Transport transport, Map<String, Object> properties) {
        services.transports.put(transport, Map.copyOf(properties));
        broadcastTransports();
    }

    void removeTransport(Transport transport) {
        services.transports.remove(transport);
        broadcastTransports();
    }

    /** A transport came, went or now listens elsewhere (so {@code jarvis init --port} can wait for it). */
    private void broadcastTransports() {
        ObjectNode data = Views.object();
        data.set("transports", Views.transports(services.transportProperties()));
        clients.broadcast(Protocol.event("transports_changed", data));
    }

    // --- events: each is encoded once and queued to every client; nothing here blocks ---

    @Override
    public void connectionChanged(String contactUid, ConnectionState previous, ConnectionState current) {
        ObjectNode data = Views.object().put("uid", contactUid).put("state", current.name())
                .put("state_code", Views.legacyCode(current)).put("previous", previous == null ? null : previous.name());
        clients.broadcast(Protocol.event("connection_state_changed", data));
    }

    @Override
    public void contactAdded(Contact contact) {
        ObjectNode data = Views.object();
        data.set("contact", Views.contact(contact));
        clients.broadcast(Protocol.event("contact_added", data));
    }

    @Override
    public void contactChanged(Contact previous, Contact current) {
        ObjectNode data = Views.object();
        data.set("contact", Views.contact(current));
        data.set("previous", Views.contact(previous));
        clients.broadcast(Protocol.event("contact_changed", data));
    }

    @Override
    public void contactRemoved(Contact contact) {
        ObjectNode data = Views.object();
        data.set("contact", Views.contact(contact));
        clients.broadcast(Protocol.event("contact_removed", data));
    }

    /** A one-to-one message's conversation is its sender; any other conversation id is a group's. */
    @Override
    public void messageReceived(Message message) {
        ObjectNode data = Views.message(message);
        if (message.conversationId().equals(message.senderUid())) {
            clients.broadcast(Protocol.event("message_received", data));
        } else {
            data.put("group_id", message.conversationId());
            clients.broadcast(Protocol.event("group_message_received", data));
        }
    }

    @Override
    public void deliveryStateChanged(Message message, DeliveryState previous) {
        ObjectNode data = Views.object().put("message_id", message.id())
                .put("conversation_id", message.conversationId()).put("state", message.state().name())
                .put("previous", previous == null ? null : previous.name());
        clients.broadcast(Protocol.event("message_state_changed", data));
    }

    /** Never stored: a frontend shows it for a few seconds. */
    @Override
    public void typing(String contactUid) {
        clients.broadcast(Protocol.event("typing", Views.object().put("uid", contactUid)));
    }

    @Override
    public void groupChanged(Group previous, Group current) {
        broadcastGroup("group_changed", current);
    }

    @Override
    public void groupRemoved(Group group) {
        broadcastGroup("group_removed", group);
    }

    private void broadcastGroup(String event, Group group) {
        ObjectNode data = Views.object();
        data.set("group", Views.group(group, services.selfUid().orElse("")));
        clients.broadcast(Protocol.event(event, data));
    }

    @Override
    public void securityEvent(SecurityEvent event) {
        clients.broadcast(Protocol.event("security_alert", Views.securityEvent(event)));
    }

    @Override
    public void identityUnlocked(UnlockedIdentity identity) {
        services.unlocked(true);
        broadcastIdentity("identity_unlocked", identity.summary());
    }

    @Override
    public void identityLocked(IdentitySummary identity) {
        services.unlocked(false);
        broadcastIdentity("identity_locked", identity);
    }

    @Override
    public void identityDeleted(IdentitySummary identity) {
        broadcastIdentity("identity_deleted", identity);
    }

    private void broadcastIdentity(String event, IdentitySummary summary) {
        ObjectNode data = Views.object();
        data.set("identity", Views.identity(summary));
        clients.broadcast(Protocol.event(event, data));
    }

}
