package jarvis.session.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import jarvis.api.ConnectionListener;
import jarvis.api.ConnectionState;

/**
 * The peers by contact uid, and the one place where a contact's state changes, so that each change is told to
 * the {@link ConnectionListener}s exactly once. Changed on the session thread; read from anywhere.
 */
final class SessionTable {

    private static final System.Logger LOG = System.getLogger(SessionTable.class.getName());

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

    void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    void removeListener(ConnectionListener listener) {
        listeners.removeIf(l -> l == listener);
    }

    Peer get(String uid) {
        return uid == null ? null : peers.get(uid);
    }

    Peer peer(String uid, Supplier<ReconnectSchedule> backoff) {
        return peers.computeIfAbsent(uid, u -> new Peer(u, backoff.get()));
    }

    void remove(Peer peer) {
        peers.remove(peer.uid, peer);
    }

    Collection<Peer> peers() {
        return peers.values();
    }

    /** Recomputes a peer's state and tells the listeners if it changed. */
    void refresh(Peer peer) {
        ConnectionState next = peer.removed ? ConnectionState.OFFLINE : peer.computeState();
        ConnectionState previous = peer.state;
        if (next == previous) {
            return;
        }
        peer.state = next;
        peer.since = Instant.now();
        LOG.log(System.Logger.Level.DEBUG, () -> "contact " + peer.uid + ": " + previous + " -> " + next);
        for (ConnectionListener listener : listeners) {
            try {
                listener.connectionChanged(peer.uid, previous, next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "connection listener " + listener + " failed", e);
            }
        }
    }
}
