package jarvis.transport.tcp.internal;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/**
 * Counts a queued {@code byte[]} frame at its encoded size, so that Netty's write-buffer water marks
 * (and so {@code Link.isWritable()}) also see frames still waiting to be encoded.
 */
final class FrameSizeEstimator implements MessageSizeEstimator {

    private final Handle handle;

    FrameSizeEstimator() {
        Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();
        this.handle = msg -> msg instanceof byte[] frame ? TcpSettings.HEADER_BYTES + frame.length : fallback.size(msg);
    }

    @Override
    public Handle newHandle() {
        return handle;
    }
}
