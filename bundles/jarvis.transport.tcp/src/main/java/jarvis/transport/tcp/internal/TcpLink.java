package jarvis.transport.tcp.internal;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import io.netty.channel.Channel;
import jarvis.api.Endpoint;
import jarvis.api.transport.Link;
import jarvis.api.transport.TransportException;

/** One TCP connection carrying length-prefixed frames. */
final class TcpLink implements Link {

    private final Channel channel;
    private final Endpoint remote;
    private final FrameDecoder decoder;
    private final IntSupplier maxFrameSize;
    private final long writeQueueBytes;
    private final long highWaterMark;
    // Bytes handed to send() and not yet written to the socket: in Netty's task queue or outbound buffer.
    private final AtomicLong queuedBytes = new AtomicLong();

    TcpLink(Channel channel, Endpoint remote, FrameDecoder decoder, IntSupplier maxFrameSize, TcpSettings settings) {
        this.channel = channel;
        this.remote = remote;
        this.decoder = decoder;
        this.maxFrameSize = maxFrameSize;
        this.writeQueueBytes = settings.writeQueueBytes();
        this.highWaterMark = settings.highWaterMark();
    }

    /** The endpoint of a connected socket address, without an IPv6 zone (it means nothing to the peer). */
    static Endpoint endpointOf(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        return Endpoint.tcp(zone < 0 ? host : host.substring(0, zone), address.getPort());
    }

    @Override
    public Endpoint remote() {
        return remote;
    }

    @Override
    public CompletionStage<Void> send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        int limit = decoder.limit();
        if (frame.length > limit) {
            return CompletableFuture.failedFuture(new TransportException(
                    "frame of " + frame.length + " bytes exceeds the limit of " + limit + " bytes on " + this));
        }
        if (!channel.isActive()) {
            return CompletableFuture.failedFuture(new TransportException(this + " is closed"));
        }
        long size = TcpSettings.HEADER_BYTES + (long) frame.length;
        long queued = queuedBytes.addAndGet(size);
        if (queued > writeQueueBytes) {
            queuedBytes.addAndGet(-size);
            return CompletableFuture.failedFuture(new TransportException("write queue of " + this + " is full ("
                    + (queued - size) + " bytes queued, bound " + writeQueueBytes + ")"));
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // Off the event loop the frame is encoded later, so the caller's array is copied and may be reused at once.
        byte[] owned = channel.eventLoop().inEventLoop() ? frame : frame.clone();
        channel.writeAndFlush(owned).addListener(future -> {
            queuedBytes.addAndGet(-size);
            if (future.isSuccess()) {
                sent.complete(null);
            } else {
                Throwable cause = future.cause();
                sent.completeExceptionally(new TransportException("could not send on " + this + ": " + cause, cause));
            }
        });
        return sent;
    }

    @Override
    public boolean isWritable() {
        // Our own count as well: Netty's briefly dips while a queued frame is being encoded, and with at most
        // the high water mark queued, one more frame of any allowed size still fits under the bound.
        return channel.isActive() && channel.isWritable() && queuedBytes.get() <= highWaterMark;
    }

    @Override
    public void authenticated() {
        decoder.setLimit(maxFrameSize.getAsInt());
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "tcp link " + channel.id().asShortText() + " with " + remote;
    }
}
