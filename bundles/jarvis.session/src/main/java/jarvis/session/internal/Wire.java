package jarvis.session.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import jarvis.api.Endpoint;
import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.Link;
import jarvis.api.transport.Transport;

/**
 * One transport link as the session core sees it, from the first byte to its close: its handshake, then its
 * session. Transport callbacks arrive on an event loop and only hand the frame to the session thread; the
 * bytes waiting there per link are bounded so a fast sender cannot queue without limit.
 */
final class Wire implements FrameReceiver {

    /** Bytes that may wait for the session thread before the handshake finished: a few handshake messages. */
    static final long PRE_AUTH_BACKLOG = 256 * 1024;
    /** After it: several maximum-size records. */
    static final long AUTH_BACKLOG = 8L * 1024 * 1024;

    final Transport transport;
    final boolean outbound;
    private final SessionManager manager;
    private final AtomicLong backlog = new AtomicLong();
    volatile Link link;
    volatile boolean authenticated;
    volatile long lastInboundNanos = System.nanoTime();

    // Owned by the session thread.
    String contactUid;
    Endpoint dialed;
    byte[] expectedKey;
    String expectedFingerprint;
    Handshaker handshaker;
    int version;
    PeerSession session;
    ScheduledFuture<?> handshakeTimeout;
    boolean countedPending;
    boolean closed;

    Wire(SessionManager manager, Transport transport, boolean outbound) {
        this.manager = manager;
        this.transport = transport;
        this.outbound = outbound;
    }

    @Override
    public void frame(Link from, byte[] frame) {
        lastInboundNanos = System.nanoTime();
        long waiting = backlog.addAndGet(frame.length);
        if (waiting > (authenticated ? AUTH_BACKLOG : PRE_AUTH_BACKLOG)) {
            from.close();
            return;
        }
        try {
            manager.execute(() -> {
                backlog.addAndGet(-frame.length);
                manager.onFrame(this, from, frame);
            });
        } catch (RejectedExecutionException e) {
            from.close();
        }
    }

    @Override
    public void closed(Link from, Throwable cause) {
        try {
            manager.execute(() -> manager.onLinkClosed(this, from, cause));
        } catch (RejectedExecutionException e) {
            // The core is stopping and closes every link itself.
        }
    }

    Endpoint remote() {
        Link l = link;
        return l != null ? l.remote() : dialed;
    }

    @Override
    public String toString() {
        return (outbound ? "outbound " : "inbound ") + "link with " + remote();
    }
}
