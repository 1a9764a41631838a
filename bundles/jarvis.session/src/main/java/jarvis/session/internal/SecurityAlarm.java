package jarvis.session.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jarvis.api.Endpoint;
import jarvis.api.session.SecurityEvent;
import jarvis.api.session.SecurityListener;

/**
 * Tells every {@link SecurityListener} about security events, at most once per interval for identical ones
 * (same kind, contact, presented key and remote host), so a flood of bad handshakes cannot flood the user.
 * Called on the session thread only.
 */
final class SecurityAlarm {

    private static final System.Logger LOG = System.getLogger(SecurityAlarm.class.getName());
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_REMEMBERED = 4096;

    private final List<SecurityListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastRaised = new HashMap<>();
    private final Map<String, Integer> suppressed = new HashMap<>();

    void add(SecurityListener listener) {
        listeners.add(listener);
    }

    void remove(SecurityListener listener) {
        listeners.removeIf(l -> l == listener);
    }

    void raise(SecurityEvent.Kind kind, String contactUid, String presented, String expected, Endpoint remote,
            String detail) {
        String key = kind + "|" + contactUid + "|" + presented + "|" + (remote == null ? null : remote.host());
        long now = System.nanoTime();
        Long last = lastRaised.get(key);
        if (last != null && now - last < INTERVAL_NANOS) {
            suppressed.merge(key, 1, Integer::sum);
            return;
        }
        if (lastRaised.size() >= MAX_REMEMBERED) {
            lastRaised.clear();
            suppressed.clear();
        }
        lastRaised.put(key, now);
        Integer skipped = suppressed.remove(key);
        String text = skipped == null ? detail : detail + " (" + skipped + " similar events suppressed)";
        SecurityEvent event = new SecurityEvent(kind, contactUid, presented, expected, remote, Instant.now(), text);
        LOG.log(System.Logger.Level.WARNING, kind + ": " + text + (remote == null ? "" : " [" + remote + "]"));
        for (SecurityListener listener : listeners) {
            try {
                listener.securityEvent(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "security listener " + listener + " failed", e);
            }
        }
    }
}
