package jarvis.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.client.Event;

/**
 * The messages of one sender to one receiver in one run, each known by its sequence number, which the text
 * carries ({@code <traffic id>:<seq>:} then padding): when the sender called {@code send_message}, when the
 * receiver's client heard {@code message_received}, when the sender's client heard the state DELIVERED. Counts
 * receipts per number, so a duplicate is seen. All times are {@link System#nanoTime()} of this JVM, so one clock.
 */
final class MessageTraffic {

    private static final int PROGRESS_SECONDS = 10;
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<Integer, MessageTraffic> LIVE = new ConcurrentHashMap<>();

    final int id = IDS.incrementAndGet();
    final int count;
    final int size;
    final AtomicLongArray sentAt;
    final AtomicLongArray receivedAt;
    final AtomicLongArray deliveredAt;
    private final AtomicIntegerArray receipts;
    private final Map<String, Integer> seqById = new ConcurrentHashMap<>();
    private final Map<String, Long> earlyDelivered = new ConcurrentHashMap<>();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    /** Sent and not yet DELIVERED: bounds how far the sender runs ahead. */
    private final Semaphore window;
    /** At most this many send_message requests unanswered (the daemon refuses more than 256 per client). */
    private final Semaphore requests;
    private final CountDownLatch complete;

    MessageTraffic(int count, int size, int window, int requestsInFlight) {
        this.count = count;
        this.size = size;
        this.sentAt = new AtomicLongArray(count);
        this.receivedAt = new AtomicLongArray(count);
        this.deliveredAt = new AtomicLongArray(count);
        this.receipts = new AtomicIntegerArray(count);
        this.window = new Semaphore(window);
        this.requests = new Semaphore(requestsInFlight);
        this.complete = new CountDownLatch(2 * count);
        LIVE.put(id, this);
    }

    /** The text of message {@code seq}: its tag, then ASCII padding to {@link #size} bytes. */
    String text(int seq) {
        String tag = id + ":" + seq + ":";
        char[] pad = new char[Math.max(0, size - tag.length())];
        Arrays.fill(pad, (char) ('a' + seq % 26));
        return tag + new String(pad);
    }

    /** Sends message {@code seq} through the sender's client; blocks while the window or the request cap is full. */
    void send(JarvisdNode sender, String receiverUid, int seq) throws InterruptedException {
        window.acquire();
        requests.acquire();
        sentAt.set(seq, System.nanoTime());
        sender.client.request("send_message", Map.of("uid", receiverUid, "message", text(seq))).whenComplete((r, e) -> {
            requests.release();
            if (e != null) {
                fail("send " + seq + ": " + e);
                window.release();
                return;
            }
            String messageId = r.path("message_id").asText();
            seqById.put(messageId, seq);
            Long early = earlyDelivered.remove(messageId);
            if (early != null) {
                delivered(seq, early);
            }
        });
    }

    /** The sender's event listener: DELIVERED (or FAILED) of this traffic's messages. */
    void onSenderEvent(Event e) {
        if (!"message_state_changed".equals(e.name())) {
            return;
        }
        long now = System.nanoTime();
        String messageId = e.data().path("message_id").asText();
        String state = e.data().path("state").asText();
        if ("FAILED".equals(state)) {
            fail("message " + messageId + " FAILED");
            return;
        }
        if (!"DELIVERED".equals(state)) {
            return;
        }
        Integer seq = seqById.get(messageId);
        if (seq == null) {
            // DELIVERED may overtake the send_message response: whichever comes second settles it.
            earlyDelivered.put(messageId, now);
            seq = seqById.get(messageId);
            if (seq == null || earlyDelivered.remove(messageId) == null) {
                return;
            }
        }
        delivered(seq, now);
    }

    private void delivered(int seq, long at) {
        if (deliveredAt.compareAndSet(seq, 0, at)) {
            delivered.incrementAndGet();
            window.release();
            complete.countDown();
        }
    }

    /** The receiver's event listener (shared by all traffic to one receiver): routes by the tag. */
    static void onReceiverEvent(Event e) {
        if (!"message_received".equals(e.name()) || e.data().path("outgoing").asBoolean(false)) {
            return;
        }
        long now = System.nanoTime();
        JsonNode text = e.data().path("message");
        String s = text.asText();
        int first = s.indexOf(':');
        int second = first < 0 ? -1 : s.indexOf(':', first + 1);
        if (second < 0) {
            return;
        }
        MessageTraffic t;
        int seq;
        try {
            t = LIVE.get(Integer.parseInt(s.substring(0, first)));
            seq = Integer.parseInt(s.substring(first + 1, second));
        } catch (NumberFormatException ex) {
            return;
        }
        if (t == null || seq < 0 || seq >= t.count) {
            return;
        }
        if (!s.equals(t.text(seq))) {
            t.fail("message " + seq + " arrived altered");
            return;
        }
        if (t.receipts.incrementAndGet(seq) > 1) {
            t.duplicates.incrementAndGet();
            return;
        }
        t.receivedAt.set(seq, now);
        t.received.incrementAndGet();
        t.complete.countDown();
    }

    private void fail(String what) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, what);
    }

    /** Waits until every message was received and DELIVERED, a failure, or the timeout. */
    boolean await(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
        while (System.nanoTime() < deadline) {
            if (complete.await(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (System.nanoTime() > nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(PROGRESS_SECONDS);
                System.out.println("  ... " + describe());
            }
            if (failures.get() > 0) {
                return false;
            }
        }
        return false;
    }

    boolean exactlyOnce() {
        return received.get() == count && delivered.get() == count && duplicates.get() == 0 && failures.get() == 0;
    }

    long firstSend() {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            long t = sentAt.get(i);
            if (t != 0) {
                first = Math.min(first, t);
            }
        }
        return first;
    }

    /** When the last message was both stored at the receiver and DELIVERED at the sender. */
    long lastCompletion() {
        long last = 0;
        for (int i = 0; i < count; i++) {
            last = Math.max(last, Math.max(receivedAt.get(i), deliveredAt.get(i)));
        }
        return last;
    }

    /** Send to DELIVERED at the sender, nanoseconds, of the messages that got there. */
    long[] ackLatencies() {
        return latencies(deliveredAt);
    }

    /** Send to received at the receiver, nanoseconds. */
    long[] oneWayLatencies() {
        return latencies(receivedAt);
    }

    private long[] latencies(AtomicLongArray at) {
        long[] out = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (at.get(i) != 0 && sentAt.get(i) != 0) {
                out[n++] = at.get(i) - sentAt.get(i);
            }
        }
        long[] l = Arrays.copyOf(out, n);
        Arrays.sort(l);
        return l;
    }

    void close() {
        LIVE.remove(id);
    }

    String describe() {
        return String.format("sent %d, received %d, delivered %d, duplicates %d, failures %d%s", count, received.get(),
                delivered.get(), duplicates.get(), failures.get(),
                firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")");
    }
}
