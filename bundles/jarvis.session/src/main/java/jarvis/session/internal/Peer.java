package jarvis.session.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerHealth;

/**
 * Everything the core knows about one contact: its sessions, the dial in progress, its backoff and its
 * health. Structure is owned by the session thread; health fields are readable from any thread.
 */
final class Peer {

    final String uid;
    final ReconnectSchedule backoff;

    volatile ConnectionState state = ConnectionState.OFFLINE;
    volatile Instant since = Instant.now();
    volatile Endpoint remote;
    volatile long rttMicros = -1;
    volatile int reconnects;
    volatile String sessionId;
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicInteger queuedSends = new AtomicInteger();

    // Owned by the session thread.
    PeerSession current;
    /** A later session that lost the tie-break to {@link #current} and waits for the probe of it. */
    PeerSession candidate;
    Wire dialing;
    final Set<Wire> answering = new HashSet<>();
    boolean refused;
    boolean removed;
    boolean everOnline;
    /**
     * The peer closed our current session as superseded while its successor is still unconfirmed
     * here (its first record travels on the other link): the contact stays ONLINE meanwhile.
     */
    boolean handover;
    ScheduledFuture<?> reconnect;
    List<Endpoint> learnedEndpoints = List.of();

    Peer(String uid, ReconnectSchedule backoff) {
        this.uid = uid;
        this.backoff = backoff;
    }

    ConnectionState computeState() {
        if (current != null || handover) {
            return ConnectionState.ONLINE;
        }
        if (refused) {
            return ConnectionState.REFUSED;
        }
        if (!answering.isEmpty() || dialing != null && dialing.link != null) {
            return ConnectionState.HANDSHAKING;
        }
        return dialing != null ? ConnectionState.CONNECTING : ConnectionState.OFFLINE;
    }

    PeerHealth health() {
        return new PeerHealth(uid, state, remote, bytesIn.get(), bytesOut.get(), framesIn.get(), framesOut.get(),
                rttMicros, reconnects, since);
    }
}
