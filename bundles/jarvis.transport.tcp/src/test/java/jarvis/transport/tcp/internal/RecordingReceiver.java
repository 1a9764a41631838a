package jarvis.transport.tcp.internal;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.Link;

import static org.assertj.core.api.Assertions.assertThat;

/** A real receiver that keeps what it was told, for tests to wait on. */
final class RecordingReceiver implements FrameReceiver {

    static final long WAIT_SECONDS = 10;

    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final AtomicInteger closedCalls = new AtomicInteger();
    final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
    // Calls for one link must never overlap; counted to prove it.
    final AtomicInteger overlapping = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    volatile BiConsumer<Link, byte[]> onFrame = (link, frame) -> { };

    @Override
    public void frame(Link link, byte[] frame) {
        enter();
        try {
            frames.add(frame);
            onFrame.accept(link, frame);
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void closed(Link link, Throwable cause) {
        enter();
        try {
            closedCalls.incrementAndGet();
            closed.complete(Optional.ofNullable(cause));
        } finally {
            inside.decrementAndGet();
        }
    }

    private void enter() {
        if (inside.incrementAndGet() > 1) {
            overlapping.incrementAndGet();
        }
    }

    byte[] nextFrame() throws InterruptedException {
        byte[] frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within " + WAIT_SECONDS + " s").isNotNull();
        return frame;
    }

    /** Waits for closed(); empty means an orderly close. */
    Optional<Throwable> awaitClosed() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
