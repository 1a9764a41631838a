package jarvis.transport.tcp.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import jarvis.api.transport.TransportException;

/**
 * Splits the byte stream into frames: a 4-byte big-endian unsigned length, then that many bytes.
 * Emits each frame as its own {@code byte[]}, so no buffer leaves this handler. The length prefix is
 * checked against the current limit as soon as it arrives, before anything of that size is
 * allocated; a frame over the limit stops decoding and reports a {@link TransportException}.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final byte[] EMPTY = new byte[0];

    // Raised by Link.authenticated() from any thread; read before each frame.
    private volatile int limit;
    private boolean rejected;

    FrameDecoder(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Applies to the next length prefix read, also when called while the previous frame is dispatched. */
    void setLimit(int limit) {
        this.limit = limit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < TcpSettings.HEADER_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        int max = limit;
        if (length > max) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            ctx.fireExceptionCaught(new TransportException(
                    "frame of " + length + " bytes exceeds the limit of " + max + " bytes"));
            return;
        }
        if (in.readableBytes() < TcpSettings.HEADER_BYTES + length) {
            return;
        }
        in.skipBytes(TcpSettings.HEADER_BYTES);
        byte[] frame = length == 0 ? EMPTY : new byte[(int) length];
        in.readBytes(frame);
        out.add(frame);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!rejected && in.isReadable()) {
            int pending = in.readableBytes();
            in.skipBytes(pending);
            // Fired here so that the receiver learns the cause before the link's closed() call.
            ctx.fireExceptionCaught(new TransportException(
                    "connection closed inside a frame (" + pending + " bytes of it received)"));
        }
    }
}
