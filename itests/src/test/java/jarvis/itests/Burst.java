package jarvis.itests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A burst of one-to-one messages sent through a daemon's IPC with a window of requests in flight, and the
 * bookkeeping that tells what must hold afterwards: a send answered with success is <em>acknowledged</em>
 * (durable at the sender, docs/protocol.md M.3) and must reach the receiver exactly once; a send whose
 * answer never came (the sender was killed) may or may not exist. Texts are {@code prefix-i}, so every
 * message is recognised in the receiver's history and events.
 */
final class Burst {

    static final int WINDOW = 32;

    final String prefix;
    final int count;
    /** Acknowledged message ids, by the index of their text. */
    final Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
    /** Sends answered with an error (a clear refusal: never acknowledged). */
    final Map<Integer, String> refused = new ConcurrentHashMap<>();
    /** Sends whose answer never came: the connection to the daemon was lost first. */
    final Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
    final AtomicInteger answered = new AtomicInteger();
    /** The receiver's unread count from the sender before the burst (nobody reads in these tests). */
    volatile int unreadBefore;
    private volatile long startNanos;
    private volatile long endNanos;

    private final String padding;

    Burst(String prefix, int count) {
        this(prefix, count, 0);
    }

    /** Each text padded with {@code padding} bytes after a space, for bursts that must take room. */
    Burst(String prefix, int count, int padding) {
        this.prefix = prefix;
        this.count = count;
        this.padding = padding == 0 ? "" : " " + "x".repeat(padding);
    }

    String text(int i) {
        return prefix + "-" + i + padding;
    }

    /** The index of a text of this burst, or -1. */
    int index(String text) {
        if (!text.startsWith(prefix + "-")) {
            return -1;
        }
        int end = text.indexOf(' ');
        try {
            return Integer.parseInt(text.substring(prefix.length() + 1, end < 0 ? text.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Sends every message (at most {@link #WINDOW} unanswered at a time) and returns once each has its
     * answer or failed with the connection; stops sending once the connection is gone.
     */
    /** Notes the receiver's unread count before sending, for {@code KillBurstIT.awaitDelivered}. */
    Burst baseline(DaemonNode receiver, DaemonNode sender) throws Exception {
        unreadBefore = receiver.unread(sender.uid());
        return this;
    }

    void send(JsonIpc ipc, String toUid) throws InterruptedException {
        startNanos = System.nanoTime();
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!window.tryAcquire(JsonIpc.CALL_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("no answer to a send within " + JsonIpc.CALL_SECONDS + " s");
            }
            if (ipc.isClosed()) {
                window.release();
                break;
            }
            int index = i;
            all.add(ipc.request("send_message", JsonIpc.params().put("uid", toUid).put("message", text(i)))
                    .whenComplete((r, error) -> {
                        if (error != null) {
                            unanswered.add(index);
                        } else if (r.path("success").asBoolean()) {
                            acknowledged.put(index, r.path("message_id").asText());
                        } else {
                            refused.put(index, r.path("error").asText());
                        }
                        answered.incrementAndGet();
                        window.release();
                    }));
        }
        for (CompletableFuture<?> f : all) {
            try {
                f.get(JsonIpc.CALL_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted as unanswered above
            }
        }
        endNanos = System.nanoTime();
    }

    long sendMillis() {
        return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
    }

    Set<String> acknowledgedIds() {
        return new HashSet<>(acknowledged.values());
    }

    /**
     * What the receiver shows: its history entries of this burst. Duplicates are entries with a message id
     * or a text seen before; the history lists by id, so the order it shows is the sender's order exactly
     * when the ids it lists are the sender's ids in the sender's order.
     */
    record Outcome(int delivered, int duplicates, int orderViolations, Set<String> ids) {
    }

    Outcome received(List<JsonNode> history) {
        Set<String> ids = new HashSet<>();
        Set<Integer> texts = new HashSet<>();
        int delivered = 0;
        int duplicates = 0;
        int violations = 0;
        String last = null;
        for (JsonNode m : history) {
            int i = index(m.path("content").asText());
            if (i < 0 || m.path("sent_by_me").asBoolean()) {
                continue;
            }
            delivered++;
            String id = m.path("message_id").asText();
            if (!ids.add(id) | !texts.add(i)) {
                duplicates++;
            }
            if (last != null && id.compareTo(last) <= 0) {
                violations++;
            }
            last = id;
        }
        return new Outcome(delivered, duplicates, violations, ids);
    }

    /** The sender's own messages of this burst: id → state. */
    Map<String, String> sent(List<JsonNode> history) {
        Map<String, String> states = new HashMap<>();
        for (JsonNode m : history) {
            if (m.path("sent_by_me").asBoolean() && index(m.path("content").asText()) >= 0) {
                states.put(m.path("message_id").asText(), m.path("state").asText());
            }
        }
        return states;
    }

    /**
     * The order in which the receiver <em>announces</em> the burst's messages ({@code message_received}
     * events, docs/protocol.md M.4 "shows"): each announced id must be greater than the one before and
     * none announced twice. Attach it again to the connection of a restarted receiver.
     */
    final class Shown {
        private final String fromUid;
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger announced = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger orderViolations = new AtomicInteger();
        private volatile String last;

        Shown(String fromUid) {
            this.fromUid = fromUid;
        }

        void attach(JsonIpc receiver) {
            receiver.onEvent(e -> {
                JsonNode d = e.path("data");
                if (!"message_received".equals(e.path("event").asText()) || !fromUid.equals(d.path("sender_uid").asText())
                        || index(d.path("message").asText()) < 0) {
                    return;
                }
                String id = d.path("message_id").asText();
                announced.incrementAndGet();
                if (!seen.add(id)) {
                    duplicates.incrementAndGet();
                }
                if (last != null && id.compareTo(last) <= 0) {
                    orderViolations.incrementAndGet();
                }
                last = id;
            });
        }
    }

    Shown shown(String fromUid) {
        return new Shown(fromUid);
    }

    /** The acknowledged ids in the sender's order (ids of one daemon strictly increase, M.1). */
    List<String> acknowledgedInOrder() {
        return new ArrayList<>(new TreeSet<>(acknowledged.values()));
    }
}
