package jarvis.transport.tcp.internal;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import jarvis.api.Endpoint;
import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.Limits;
import jarvis.api.transport.Link;
import jarvis.api.transport.LinkAcceptor;
import jarvis.api.transport.Listening;
import jarvis.api.transport.Transport;
import jarvis.api.transport.TransportException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The TCP transport: moves length-prefixed frames over Netty sockets and never looks inside them.
 * <p>
 * The {@value Transport#LISTEN_PROPERTY} service property comes from DS itself: the configuration
 * attribute {@code transport_listen} is the configuration property {@code transport.listen}, bnd writes
 * its default into the component description, and DS publishes component properties (defaults
 * overridden by ConfigAdmin, also on {@code @Modified}) as service properties. No hand-made
 * registration is needed, and the session core sees a changed endpoint as a modified service.
 */
@Component(name = TcpTransport.PID, service = Transport.class, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = Transport.SCHEME_PROPERTY + "=" + TcpTransport.SCHEME)
@Designate(ocd = TcpTransport.Config.class)
public final class TcpTransport implements Transport {

    static final String PID = "jarvis.transport.tcp";
    static final String SCHEME = "tcp";

    @ObjectClassDefinition(name = "Jarvis TCP transport",
            description = "Peer links over TCP: where to listen, and the limits every link obeys.")
    public @interface Config {

        @AttributeDefinition(name = "Listen endpoint",
                description = "tcp://host:port the daemon listens on; published as the transport.listen service property.")
        String transport_listen() default "tcp://0.0.0.0:5000";

        @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "300")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(name = "Largest authenticated frame (bytes)",
                description = "Frames before authentication are capped at 65536 bytes.", min = "65536", max = "16777216")
        int max_frame_bytes() default 1024 * 1024;

        @AttributeDefinition(name = "Write queue bound per link (bytes)",
                description = "Beyond it send() fails instead of buffering; at least twice the largest frame.")
        int write_queue_bytes() default 4 * 1024 * 1024;

        @AttributeDefinition(name = "Idle timeout (s)", description = "A link on which nothing is read this long is closed.",
                min = "1")
        int idle_timeout_seconds() default 120;

        @AttributeDefinition(name = "Maximum inbound links",
                description = "Further inbound connections are closed at once.", min = "1")
        int max_connections() default 512;
    }

    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final long BIND_TIMEOUT_SECONDS = 10;
    private static final long STOP_TIMEOUT_SECONDS = 5;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private volatile TcpSettings settings;
    private volatile boolean stopped;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    // DNS lookups block, so they run here rather than on an event loop.
    private final ExecutorService resolver;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    // Dials not yet completed; a lookup still queued when the transport stops would otherwise never answer.
    private final Map<CompletableFuture<Link>, Endpoint> pendingDials = new ConcurrentHashMap<>();
    private final AtomicInteger openInbound = new AtomicInteger();
    private final AtomicLong refusedInbound = new AtomicLong();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);

    @Activate
    public TcpTransport(Config config) {
        this.settings = TcpSettings.from(config);
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jarvis-tcp-accept", true),
                NioIoHandler.newFactory());
        this.ioGroup = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("jarvis-tcp-io", true), NioIoHandler.newFactory());
        ThreadPoolExecutor lookups = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("jarvis-tcp-resolve", true));
        lookups.allowCoreThreadTimeOut(true);
        this.resolver = lookups;
        LOG.log(System.Logger.Level.INFO, "TCP transport active: " + settings);
    }

    /** New limits apply to links opened from now on (max.connections at once); open links keep theirs. */
    @Modified
    void modified(Config config) {
        settings = TcpSettings.from(config);
        LOG.log(System.Logger.Level.INFO, "TCP transport reconfigured: " + settings);
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        boolean onEventLoop = onOwnEventLoop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        // Lookups first, so that no dial starts connecting on an event loop that is shutting down.
        resolver.shutdownNow();
        awaitTermination(resolver, deadline);
        pendingDials.forEach((dial, remote) -> dial.completeExceptionally(
                new TransportException("cannot dial " + remote + ": the transport is stopped")));
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel channel : channels) {
            closing.add(channel.close());
        }
        if (!onEventLoop) {
            for (ChannelFuture future : closing) {
                future.awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
            }
        }
        // A graceful shutdown with no quiet period still runs the queued tasks, so every receiver hears closed().
        acceptGroup.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!onEventLoop) {
            acceptGroup.terminationFuture().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
            ioGroup.terminationFuture().awaitUninterruptibly(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        LOG.log(System.Logger.Level.INFO, "TCP transport stopped");
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static void awaitTermination(ExecutorService executor, long deadline) {
        try {
            executor.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean onOwnEventLoop() {
        for (EventExecutor executor : ioGroup) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return acceptGroup.next().inEventLoop();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public int maxFrameSize() {
        return settings.maxFrameBytes();
    }

    /** Inbound connections refused because {@code max.connections} links were open. */
    long refusedConnections() {
        return refusedInbound.get();
    }

    @Override
    public Listening listen(Endpoint local, LinkAcceptor acceptor) throws TransportException {
        Objects.requireNonNull(local, "local");
        if (!SCHEME.equals(local.scheme())) {
            throw new TransportException("cannot listen on " + local + ": not a " + SCHEME + " endpoint");
        }
        return listen(new InetSocketAddress(local.host(), local.port()), acceptor);
    }

    /** Binds a socket address; port 0 binds a free port (an {@link Endpoint} cannot say port 0). */
    Listening listen(InetSocketAddress address, LinkAcceptor acceptor) throws TransportException {
        Objects.requireNonNull(acceptor, "acceptor");
        if (stopped) {
            throw new TransportException("cannot listen on " + address + ": the transport is stopped");
        }
        if (address.isUnresolved()) {
            throw new TransportException("cannot listen on " + address + ": unknown host " + address.getHostString());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        acceptInbound(channel, acceptor);
                    }
                });
        ChannelFuture bind;
        try {
            bind = bootstrap.bind(address);
        } catch (RejectedExecutionException e) {
            throw new TransportException("cannot listen on " + address + ": the transport is stopped", e);
        }
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            bind.channel().close();
            throw new TransportException("cannot listen on " + address + ": bind did not finish in time");
        }
        if (!bind.isSuccess()) {
            Throwable cause = bind.cause();
            throw new TransportException("cannot listen on " + address + ": " + cause.getMessage(), cause);
        }
        Channel server = bind.channel();
        track(server);
        Endpoint bound = TcpLink.endpointOf((InetSocketAddress) server.localAddress());
        LOG.log(System.Logger.Level.INFO, "listening on " + bound);
        return new TcpListening(bound, server);
    }

    private void acceptInbound(SocketChannel channel, LinkAcceptor acceptor) {
        TcpSettings current = settings;
        if (openInbound.incrementAndGet() > current.maxConnections()) {
            openInbound.decrementAndGet();
            refuse(channel, current);
            return;
        }
        channel.closeFuture().addListener(f -> openInbound.decrementAndGet());
        InetSocketAddress address = channel.remoteAddress();
        if (address == null) {
            // The peer reset the connection before it was set up.
            channel.close();
            return;
        }
        Endpoint remote = TcpLink.endpointOf(address);
        FrameDecoder decoder = configure(channel, current);
        TcpLink link = new TcpLink(channel, remote, decoder, this::maxFrameSize, current);
        channel.pipeline().addLast("link", new LinkHandler(link, acceptor));
    }

    private void refuse(SocketChannel channel, TcpSettings current) {
        long refused = refusedInbound.incrementAndGet();
        channel.close();
        // One line per interval at most: a flood of connections must not flood the log too.
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "refused inbound connection from " + channel.remoteAddress() + ": "
                    + current.maxConnections() + " links open (max.connections); " + refused + " refused so far");
        }
    }

    @Override
    public CompletionStage<Link> dial(Endpoint remote, FrameReceiver receiver) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(receiver, "receiver");
        CompletableFuture<Link> result = new CompletableFuture<>();
        if (!SCHEME.equals(remote.scheme())) {
            result.completeExceptionally(new TransportException("cannot dial " + remote + ": not a " + SCHEME + " endpoint"));
            return result;
        }
        if (stopped) {
            result.completeExceptionally(new TransportException("cannot dial " + remote + ": the transport is stopped"));
            return result;
        }
        TcpSettings current = settings;
        pendingDials.put(result, remote);
        result.whenComplete((link, error) -> pendingDials.remove(result));
        try {
            resolver.execute(() -> {
                InetAddress address;
                try {
                    address = InetAddress.getByName(remote.host());
                } catch (UnknownHostException e) {
                    result.completeExceptionally(dialFailure(remote, e, current));
                    return;
                }
                if (stopped) {
                    result.completeExceptionally(new TransportException("cannot dial " + remote + ": the transport is stopped"));
                    return;
                }
                connect(remote, new InetSocketAddress(address, remote.port()), receiver, current, result);
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new TransportException("cannot dial " + remote + ": the transport is stopped", e));
        }
        return result;
    }

    private void connect(Endpoint remote, InetSocketAddress address, FrameReceiver receiver, TcpSettings current,
            CompletableFuture<Link> result) {
        Bootstrap bootstrap = new Bootstrap()
                .group(ioGroup)
                .channel(NioSocketChannel.class)
                .disableResolver()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, current.connectTimeoutSeconds() * 1000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        FrameDecoder decoder = configure(channel, current);
                        TcpLink link = new TcpLink(channel, remote, decoder, TcpTransport.this::maxFrameSize, current);
                        channel.pipeline().addLast("link", new LinkHandler(link, receiver));
                    }
                });
        ChannelFuture connect;
        try {
            connect = bootstrap.connect(address);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new TransportException("cannot dial " + remote + ": the transport is stopped", e));
            return;
        }
        // Runs on the event loop before the link's first read, so the dialer holds the link before any frame().
        connect.addListener((ChannelFuture future) -> {
            if (future.isSuccess()) {
                // A dial failed by deactivate() or cancelled by the caller leaves nobody to own the link.
                if (!result.complete(future.channel().pipeline().get(LinkHandler.class).link())) {
                    future.channel().close();
                }
            } else {
                result.completeExceptionally(dialFailure(remote, future.cause(), current));
            }
        });
    }

    private TransportException dialFailure(Endpoint remote, Throwable cause, TcpSettings current) {
        String why;
        if (stopped) {
            why = "the transport is stopped";
        } else if (cause instanceof ConnectTimeoutException) {
            why = "timed out after " + current.connectTimeoutSeconds() + " s";
        } else if (cause instanceof UnknownHostException) {
            why = "unknown host " + remote.host();
        } else if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            why = "connection refused";
        } else {
            why = String.valueOf(cause);
        }
        return new TransportException("cannot dial " + remote + ": " + why, cause);
    }

    /** Sets up the shared part of a link's pipeline; the caller adds the link handler last. */
    private FrameDecoder configure(SocketChannel channel, TcpSettings current) {
        channel.config().setWriteBufferWaterMark(
                new WriteBufferWaterMark(current.lowWaterMark(), current.highWaterMark()));
        channel.config().setMessageSizeEstimator(new FrameSizeEstimator());
        FrameDecoder decoder = new FrameDecoder(Limits.PRE_AUTH_MAX_FRAME);
        channel.pipeline()
                .addLast("idle", new ReadIdleCloser(current.idleTimeoutSeconds()))
                .addLast("decoder", decoder)
                .addLast("encoder", new FrameEncoder());
        track(channel);
        return decoder;
    }

    private void track(Channel channel) {
        channels.add(channel);
        channel.closeFuture().addListener(f -> channels.remove(channel));
        // A channel opened while deactivate() was closing the others is closed here instead of leaking.
        if (stopped) {
            channel.close();
        }
    }
}
