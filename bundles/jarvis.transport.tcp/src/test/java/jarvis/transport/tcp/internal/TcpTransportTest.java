package jarvis.transport.tcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jarvis.api.Endpoint;
import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.Link;
import jarvis.api.transport.LinkAcceptor;
import jarvis.api.transport.Listening;
import jarvis.api.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The transport over real sockets on 127.0.0.1, constructed as DS would with a configuration. */
class TcpTransportTest {

    private static final long WAIT = RecordingReceiver.WAIT_SECONDS;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);

    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        for (TcpTransport transport : transports) {
            transport.deactivate();
        }
    }

    private TcpTransport start(TestConfig config) {
        TcpTransport transport = new TcpTransport(config);
        transports.add(transport);
        return transport;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Link dial(TcpTransport transport, Endpoint remote, FrameReceiver receiver) throws Exception {
        return transport.dial(remote, receiver).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    }

    private static Throwable dialFailure(TcpTransport transport, Endpoint remote) throws Exception {
        CompletableFuture<Link> stage = transport.dial(remote, new RecordingReceiver()).toCompletableFuture();
        try {
            Link link = stage.get(WAIT, TimeUnit.SECONDS);
            link.close();
            return fail("dial to " + remote + " succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Frame {@code index}: its index in the first 4 bytes, then bytes derived from it, sizes from 4 bytes to 1 MiB. */
    private static byte[] frame(int index, int maxFrame) {
        int size;
        if (index % 1000 == 999) {
            size = maxFrame;
        } else if (index % 100 == 50) {
            size = 70_000 + index;
        } else {
            size = 4 + (index * 37) % 3000;
        }
        byte[] frame = new byte[size];
        ByteBuffer.wrap(frame).putInt(index);
        for (int i = 4; i < size; i++) {
            frame[i] = (byte) (index * 31 + i);
        }
        return frame;
    }

    /** Sends like a well-behaved session: waits for the queue to drain whenever the link says it is not writable. */
    private static List<CompletableFuture<Void>> sendRespectingWritability(Link link, List<byte[]> frames)
            throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (byte[] frame : frames) {
            if (!link.isWritable() && !sent.isEmpty()) {
                sent.get(sent.size() - 1).get(WAIT, TimeUnit.SECONDS);
            }
            sent.add(link.send(frame).toCompletableFuture());
        }
        return sent;
    }

    /** Expects the peer to close a plain socket: end of stream or a reset, not silence. */
    private static void assertClosedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
        InputStream in = socket.getInputStream();
        try {
            byte[] buffer = new byte[1024];
            int n;
            do {
                n = in.read(buffer);
            } while (n > 0);
            assertThat(n).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            fail("the transport did not close " + socket);
        } catch (IOException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    @Test
    void tenThousandFramesOfVariedSizeArriveInOrderBothWays() throws Exception {
        TcpTransport server = start(new TestConfig());
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        assertThat(listening.endpoint().host()).isEqualTo("127.0.0.1");
        assertThat(listening.endpoint().port()).isPositive();

        RecordingReceiver clientReceiver = new RecordingReceiver();
        Link clientLink = dial(client, listening.endpoint(), clientReceiver);
        Link serverLink = acceptor.next();
        RecordingReceiver serverReceiver = acceptor.receiverOf(serverLink);
        assertThat(clientLink.remote()).isEqualTo(listening.endpoint());
        assertThat(serverLink.remote().host()).isEqualTo("127.0.0.1");
        serverLink.authenticated();
        clientLink.authenticated();

        int count = 10_000;
        int max = client.maxFrameSize();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(frame(i, max));
        }
        ExecutorService serverSide = Executors.newSingleThreadExecutor();
        try {
            var serverSent = serverSide.submit(() -> sendRespectingWritability(serverLink, frames));
            List<CompletableFuture<Void>> clientSent = sendRespectingWritability(clientLink, frames);

            for (int i = 0; i < count; i++) {
                byte[] expected = frames.get(i);
                assertThat(serverReceiver.nextFrame()).as("frame %d at the listener", i).isEqualTo(expected);
                assertThat(clientReceiver.nextFrame()).as("frame %d at the dialer", i).isEqualTo(expected);
            }
            CompletableFuture.allOf(clientSent.toArray(CompletableFuture[]::new)).get(WAIT, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> fromServer = serverSent.get(WAIT, TimeUnit.SECONDS);
            CompletableFuture.allOf(fromServer.toArray(CompletableFuture[]::new)).get(WAIT, TimeUnit.SECONDS);
        } finally {
            serverSide.shutdownNow();
        }
        assertThat(serverReceiver.frames).isEmpty();
        assertThat(clientReceiver.frames).isEmpty();
        assertThat(serverReceiver.overlapping).hasValue(0);
        assertThat(clientReceiver.overlapping).hasValue(0);
        assertThat(clientLink.isOpen()).isTrue();
    }

    @Test
    void closingFromTheDialerTellsBothReceiversExactlyOnce() throws Exception {
        TcpTransport server = start(new TestConfig());
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        RecordingReceiver clientReceiver = new RecordingReceiver();
        Link clientLink = dial(client, listening.endpoint(), clientReceiver);
        RecordingReceiver serverReceiver = acceptor.receiverOf(acceptor.next());

        clientLink.close();
        clientLink.close();

        assertThat(clientReceiver.awaitClosed()).isEmpty();
        assertThat(serverReceiver.awaitClosed()).isEmpty();
        assertThat(clientLink.isOpen()).isFalse();
        assertThatThrownBy(() -> clientLink.send(new byte[1]).toCompletableFuture().join())
                .hasCauseInstanceOf(TransportException.class);
        // Stopping drains every event loop, so a late second closed() call would have happened by now.
        server.deactivate();
        client.deactivate();
        assertThat(clientReceiver.closedCalls).hasValue(1);
        assertThat(serverReceiver.closedCalls).hasValue(1);
    }

    @Test
    void closingFromTheListenerTellsBothReceiversExactlyOnce() throws Exception {
        TcpTransport server = start(new TestConfig());
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        RecordingReceiver clientReceiver = new RecordingReceiver();
        dial(client, listening.endpoint(), clientReceiver);
        Link serverLink = acceptor.next();
        RecordingReceiver serverReceiver = acceptor.receiverOf(serverLink);

        serverLink.close();

        assertThat(serverReceiver.awaitClosed()).isEmpty();
        assertThat(clientReceiver.awaitClosed()).isEmpty();
        server.deactivate();
        client.deactivate();
        assertThat(clientReceiver.closedCalls).hasValue(1);
        assertThat(serverReceiver.closedCalls).hasValue(1);
    }

    @Test
    void closedListeningStopsAcceptingButKeepsOpenLinks() throws Exception {
        TcpTransport transport = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = transport.listen(ANY_PORT, acceptor);
        RecordingReceiver clientReceiver = new RecordingReceiver();
        Link clientLink = dial(transport, listening.endpoint(), clientReceiver);
        Link serverLink = acceptor.next();

        listening.close();

        assertThat(dialFailure(transport, listening.endpoint())).hasMessageContaining("refused");
        clientLink.send(new byte[] {42}).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertThat(acceptor.receiverOf(serverLink).nextFrame()).containsExactly(42);
    }

    @Test
    void listeningOnABusyPortFails() throws Exception {
        TcpTransport transport = start(new TestConfig());
        Listening listening = closeLater(transport.listen(ANY_PORT, new Acceptor()));

        assertThatThrownBy(() -> transport.listen(listening.endpoint(), new Acceptor()))
                .isInstanceOf(TransportException.class).hasMessageContaining("cannot listen");
    }

    @Test
    void endpointsOfAnotherSchemeAreRefused() throws Exception {
        TcpTransport transport = start(new TestConfig());

        assertThatThrownBy(() -> transport.listen(new Endpoint("ws", "127.0.0.1", 5000), new Acceptor()))
                .isInstanceOf(TransportException.class).hasMessageContaining("not a tcp endpoint");
        assertThat(dialFailure(transport, new Endpoint("ws", "127.0.0.1", 5000)))
                .isInstanceOf(TransportException.class).hasMessageContaining("not a tcp endpoint");
        assertThat(transport.scheme()).isEqualTo("tcp");
    }

    @Test
    void dialToAClosedPortFailsAsRefused() throws Exception {
        TcpTransport transport = start(new TestConfig());
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            port = socket.getLocalPort();
        }
        Endpoint closed = Endpoint.tcp("127.0.0.1", port);

        Throwable failure = dialFailure(transport, closed);

        assertThat(failure).isInstanceOf(TransportException.class)
                .hasMessageContaining(closed.toString()).hasMessageContaining("refused");
    }

    /**
     * A listener that never accepts and whose accept queue is full: Linux then drops every further SYN,
     * so a dial to it neither connects nor is refused. Loopback only, unlike a blackhole address.
     */
    private Endpoint unresponsiveListener() throws IOException {
        ServerSocket listener = closeLater(new ServerSocket(0, 1, LOOPBACK));
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, listener.getLocalPort());
        for (int i = 0; i < 16; i++) {
            Socket filler = closeLater(new Socket());
            try {
                filler.connect(address, 300);
            } catch (SocketTimeoutException e) {
                return Endpoint.tcp("127.0.0.1", listener.getLocalPort());
            }
        }
        return fail("the listener's accept queue never filled up");
    }

    @Test
    void dialToAListenerWithAFullBacklogTimesOut() throws Exception {
        Endpoint endpoint = unresponsiveListener();
        TcpTransport transport = start(new TestConfig().connectTimeoutSeconds(1));

        Throwable failure = dialFailure(transport, endpoint);

        assertThat(failure).isInstanceOf(TransportException.class)
                .hasMessageContaining(endpoint.toString()).hasMessageContaining("timed out after 1 s");
    }

    @Test
    void deactivateFailsADialStillInProgress() throws Exception {
        Endpoint endpoint = unresponsiveListener();
        // Far longer than the wait below: only deactivate() can end this dial in time.
        TcpTransport transport = start(new TestConfig().connectTimeoutSeconds(60));
        CompletableFuture<Link> dial = transport.dial(endpoint, new RecordingReceiver()).toCompletableFuture();

        transport.deactivate();

        assertThatThrownBy(() -> dial.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessageContaining(endpoint.toString())
                .hasMessageContaining("stopped");
    }

    @Test
    void dialToAnUnknownHostFails() throws Exception {
        TcpTransport transport = start(new TestConfig());
        // .invalid never resolves (RFC 2606).
        Endpoint nowhere = Endpoint.tcp("no-such-host.invalid", 5000);

        assertThat(dialFailure(transport, nowhere)).isInstanceOf(TransportException.class)
                .hasMessageContaining("unknown host no-such-host.invalid");
    }

    /** A link to a plain socket peer that never reads, with a 256 KiB write queue bound. */
    private Link linkToSilentPeer(ServerSocket peerListener) throws Exception {
        TcpTransport transport = start(new TestConfig().maxFrameBytes(64 * 1024).writeQueueBytes(256 * 1024));
        peerListener.setReceiveBufferSize(4096);
        peerListener.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        return dial(transport, Endpoint.tcp("127.0.0.1", peerListener.getLocalPort()), new RecordingReceiver());
    }

    @Test
    void sendFailsOnceTheWriteQueueIsFullAndWorksAgainWhenThePeerReads() throws Exception {
        ServerSocket peerListener = closeLater(new ServerSocket());
        Link link = linkToSilentPeer(peerListener);
        Socket peer = closeLater(peerListener.accept());

        byte[] frame = new byte[16 * 1024];
        CompletableFuture<Void> lastAccepted = null;
        Throwable refused = null;
        // Bounded: the kernel's socket buffers absorb a few MiB at most before the queue fills.
        for (int i = 0; i < 10_000 && refused == null; i++) {
            CompletableFuture<Void> sent = link.send(frame).toCompletableFuture();
            if (sent.isCompletedExceptionally()) {
                refused = sent.handle((v, e) -> e).join();
            } else {
                lastAccepted = sent;
            }
        }

        assertThat(refused).isInstanceOf(TransportException.class).hasMessageContaining("write queue")
                .hasMessageContaining(String.valueOf(256 * 1024));
        assertThat(link.isOpen()).isTrue();
        assertThat(lastAccepted).isNotNull();

        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            reader.submit(() -> peer.getInputStream().transferTo(OutputStream.nullOutputStream()));
            lastAccepted.get(WAIT, TimeUnit.SECONDS);
            link.send(frame).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
            assertThat(link.isWritable()).isTrue();
        } finally {
            peer.close();
            reader.shutdownNow();
        }
    }

    @Test
    void senderRespectingIsWritableIsStoppedByItAndNeverRefused() throws Exception {
        ServerSocket peerListener = closeLater(new ServerSocket());
        Link link = linkToSilentPeer(peerListener);
        closeLater(peerListener.accept());

        byte[] frame = new byte[16 * 1024];
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        // Bounded at 160 MB: far beyond what the kernel absorbs for a peer that never reads.
        for (int i = 0; i < 10_000 && link.isWritable(); i++) {
            sent.add(link.send(frame).toCompletableFuture());
        }

        assertThat(link.isWritable()).isFalse();
        assertThat(sent).noneMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(link.isOpen()).isTrue();
    }

    @Test
    void silentLinkIsClosedAfterTheIdleTimeout() throws Exception {
        TcpTransport server = start(new TestConfig().idleTimeoutSeconds(1));
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        RecordingReceiver clientReceiver = new RecordingReceiver();
        dial(client, listening.endpoint(), clientReceiver);
        RecordingReceiver serverReceiver = acceptor.receiverOf(acceptor.next());

        Optional<Throwable> cause = serverReceiver.awaitClosed();

        assertThat(cause).get().isInstanceOf(TransportException.class).extracting(Throwable::getMessage)
                .isEqualTo("nothing read for 1 s");
        assertThat(clientReceiver.awaitClosed()).isEmpty();
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosedWhileOpenLinksKeepWorking() throws Exception {
        TcpTransport server = start(new TestConfig().maxConnections(2));
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, listening.endpoint().port());
        RecordingReceiver clientReceiver = new RecordingReceiver();
        Link clientLink = dial(client, listening.endpoint(), clientReceiver);
        Link serverLink = acceptor.next();
        Socket second = closeLater(new Socket(LOOPBACK, address.getPort()));
        Link secondLink = acceptor.next();

        Socket third = closeLater(new Socket(LOOPBACK, address.getPort()));

        assertClosedByPeer(third);
        assertThat(server.refusedConnections()).isEqualTo(1);
        assertThat(acceptor.links).isEmpty();
        clientLink.send(new byte[] {1}).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertThat(acceptor.receiverOf(serverLink).nextFrame()).containsExactly(1);
        serverLink.send(new byte[] {2}).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertThat(clientReceiver.nextFrame()).containsExactly(2);

        // A closed link frees its place.
        second.close();
        acceptor.receiverOf(secondLink).awaitClosed();
        Link again = dial(client, listening.endpoint(), new RecordingReceiver());
        assertThat(acceptor.next()).isNotNull();
        assertThat(again.isOpen()).isTrue();
        assertThat(server.refusedConnections()).isEqualTo(1);
    }

    @Test
    void hugeLengthPrefixFromAPeerClosesItsConnection() throws Exception {
        TcpTransport server = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        Socket peer = closeLater(new Socket(LOOPBACK, listening.endpoint().port()));
        RecordingReceiver receiver = acceptor.receiverOf(acceptor.next());

        peer.getOutputStream().write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        peer.getOutputStream().flush();

        assertClosedByPeer(peer);
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString()
                .contains("2147483647");
        assertThat(receiver.frames).isEmpty();
    }

    @Test
    void twoHundredFiftyGarbageConnectionsDoNotDisturbARealLink() throws Exception {
        TcpTransport server = start(new TestConfig());
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(server.listen(ANY_PORT, acceptor));
        RecordingReceiver clientReceiver = new RecordingReceiver();
        Link clientLink = dial(client, listening.endpoint(), clientReceiver);
        Link serverLink = acceptor.next();
        RecordingReceiver serverReceiver = acceptor.receiverOf(serverLink);
        serverLink.authenticated();
        clientLink.authenticated();

        Random random = new Random(7);
        List<Socket> garbage = new ArrayList<>();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Socket socket = closeLater(new Socket(LOOPBACK, listening.endpoint().port()));
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            socket.getOutputStream().write(junk);
            // End of input: a junk prefix that happens to be small still ends the connection.
            socket.shutdownOutput();
            garbage.add(socket);
            sent.add(clientLink.send(frame(i, server.maxFrameSize())).toCompletableFuture());
            sent.add(serverLink.send(frame(i, server.maxFrameSize())).toCompletableFuture());
        }

        for (Socket socket : garbage) {
            assertClosedByPeer(socket);
        }
        for (int i = 0; i < 250; i++) {
            assertThat(serverReceiver.nextFrame()).isEqualTo(frame(i, server.maxFrameSize()));
            assertThat(clientReceiver.nextFrame()).isEqualTo(frame(i, server.maxFrameSize()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT, TimeUnit.SECONDS);
        for (int i = 0; i < 250; i++) {
            RecordingReceiver junkReceiver = acceptor.receiverOf(acceptor.next());
            junkReceiver.awaitClosed();
            assertThat(junkReceiver.closedCalls).hasValue(1);
        }
        assertThat(clientLink.isOpen()).isTrue();
        assertThat(serverReceiver.closedCalls).hasValue(0);
        assertThat(clientReceiver.closedCalls).hasValue(0);
    }

    @Test
    void deactivateClosesEveryLinkTellsEveryReceiverAndStopsListening() throws Exception {
        TcpTransport server = start(new TestConfig());
        TcpTransport client = start(new TestConfig());
        Acceptor acceptor = new Acceptor();
        Listening listening = server.listen(ANY_PORT, acceptor);
        RecordingReceiver clientReceiver = new RecordingReceiver();
        dial(client, listening.endpoint(), clientReceiver);
        RecordingReceiver serverReceiver = acceptor.receiverOf(acceptor.next());

        server.deactivate();

        // Told before deactivate() returned, not at some later point.
        assertThat(serverReceiver.closedCalls).hasValue(1);
        assertThat(serverReceiver.closed).isCompletedWithValue(Optional.empty());
        assertThat(clientReceiver.awaitClosed()).isEmpty();
        assertThat(dialFailure(client, listening.endpoint())).hasMessageContaining("refused");
        assertThatThrownBy(() -> server.listen(ANY_PORT, new Acceptor())).isInstanceOf(TransportException.class)
                .hasMessageContaining("stopped");
        assertThat(dialFailure(server, listening.endpoint())).hasMessageContaining("stopped");
    }

    @Test
    void modifiedConfigurationAppliesToNewLinksAndInvalidChangesAreRefused() throws Exception {
        TcpTransport transport = start(new TestConfig());
        assertThat(transport.maxFrameSize()).isEqualTo(1024 * 1024);

        transport.modified(new TestConfig().maxFrameBytes(2 * 1024 * 1024).writeQueueBytes(8 * 1024 * 1024));
        assertThatThrownBy(() -> transport.modified(new TestConfig().maxConnections(0)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(transport.maxFrameSize()).isEqualTo(2 * 1024 * 1024);
        Acceptor acceptor = new Acceptor();
        Listening listening = closeLater(transport.listen(ANY_PORT, acceptor));
        Link clientLink = dial(transport, listening.endpoint(), new RecordingReceiver());
        Link serverLink = acceptor.next();
        serverLink.authenticated();
        clientLink.authenticated();
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) 5);
        clientLink.send(big).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertThat(acceptor.receiverOf(serverLink).nextFrame()).isEqualTo(big);
    }

    /** Gives every inbound link its own recording receiver. */
    private static final class Acceptor implements LinkAcceptor {
        final BlockingQueue<Link> links = new LinkedBlockingQueue<>();
        private final Map<Link, RecordingReceiver> receivers = new ConcurrentHashMap<>();

        @Override
        public FrameReceiver accepted(Link link) {
            RecordingReceiver receiver = new RecordingReceiver();
            receivers.put(link, receiver);
            links.add(link);
            return receiver;
        }

        Link next() throws InterruptedException {
            Link link = links.poll(WAIT, TimeUnit.SECONDS);
            assertThat(link).as("an inbound link within " + WAIT + " s").isNotNull();
            return link;
        }

        RecordingReceiver receiverOf(Link link) {
            return receivers.get(link);
        }
    }

}
