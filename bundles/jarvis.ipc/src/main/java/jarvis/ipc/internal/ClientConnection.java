package jarvis.ipc.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

/**
 * One attached client and its bounded outbound queue. Lines are counted from the moment they are
 * handed to Netty until they reach the socket; a client that lets more than the bound pile up (it
 * does not read) is sent a last {@code overflow} event, if the socket still takes it, and dropped,
 * so the daemon never buffers without limit for it.
 */
final class ClientConnection {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    /** How long a refused or overflowing client has to take its last line before the socket closes. */
    static final long CLOSE_GRACE_MILLIS = 1000;

    private final Channel channel;
    private final boolean tokenRequired;
    private final int maxQueuedLines;
    private final long maxQueuedBytes;
    private final AtomicInteger queuedLines = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean authenticated;

    ClientConnection(Channel channel, boolean tokenRequired, int maxQueuedLines, long maxQueuedBytes) {
        this.channel = channel;
        this.tokenRequired = tokenRequired;
        this.maxQueuedLines = maxQueuedLines;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    Channel channel() {
        return channel;
    }

    /** TCP clients prove themselves with the token; Unix-socket clients by the socket file's permissions. */
    boolean tokenRequired() {
        return tokenRequired;
    }

    boolean authenticated() {
        return authenticated;
    }

    void authenticate() {
        authenticated = true;
    }

    /** For the log: the TCP peer address, or the Unix socket (whose clients have no address). */
    String describe() {
        return tokenRequired ? String.valueOf(channel.remoteAddress()) : "on the Unix socket";
    }

    boolean closing() {
        return closing.get();
    }

    /** Queues one encoded line (ending in a newline); drops the client if its queue is full. */
    void send(byte[] line) {
        send(line, null);
    }

    /**
     * Queues one encoded line; {@code afterWrite} (may be {@code null}) runs once the line reached the
     * socket or could not be written, whatever became of the client.
     */
    void send(byte[] line, Runnable afterWrite) {
        if (closing.get()) {
            runQuietly(afterWrite);
            return;
        }
        int lines = queuedLines.incrementAndGet();
        long bytes = queuedBytes.addAndGet(line.length);
        // One line always fits, however large, so a big answer is never mistaken for a stuck client.
        if (lines > maxQueuedLines || (lines > 1 && bytes > maxQueuedBytes)) {
            queuedLines.decrementAndGet();
            queuedBytes.addAndGet(-line.length);
            overflow();
            runQuietly(afterWrite);
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(line)).addListener(f -> {
            queuedLines.decrementAndGet();
            queuedBytes.addAndGet(-line.length);
            runQuietly(afterWrite);
        });
    }

    private static void runQuietly(Runnable action) {
        if (action == null) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "action after an IPC response failed", e);
        }
    }

    int queuedLines() {
        return queuedLines.get();
    }

    private void overflow() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "IPC client " + describe() + " does not read: more than "
                + maxQueuedLines + " lines or " + maxQueuedBytes + " bytes queued; disconnected");
        channel.writeAndFlush(Unpooled.wrappedBuffer(Protocol.OVERFLOW_LINE)).addListener(ChannelFutureListener.CLOSE);
        // The overflow line may never leave (the client is not reading): close anyway after the grace.
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a last line and closes. The output is shut first and the input drained for a moment, so the
     * client reads the line instead of a reset caused by its own unread bytes.
     */
    void refuse(byte[] line) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(line)).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
