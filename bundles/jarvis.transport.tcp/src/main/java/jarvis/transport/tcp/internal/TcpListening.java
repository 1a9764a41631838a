package jarvis.transport.tcp.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import jarvis.api.Endpoint;
import jarvis.api.transport.Listening;

/** A bound server socket; closing it stops accepting while accepted links stay open. */
final class TcpListening implements Listening {

    private static final System.Logger LOG = System.getLogger(TcpListening.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final Endpoint endpoint;
    private final Channel server;

    TcpListening(Endpoint endpoint, Channel server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        if (!server.isOpen()) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "stopped listening on " + endpoint);
        if (server.eventLoop().inEventLoop()) {
            server.close();
        } else {
            // Waiting means the port is free again when close() returns.
            server.close().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "listening on " + endpoint;
    }
}
