package jarvis.transport.tcp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a frame as its 4-byte big-endian length followed by its bytes. */
final class FrameEncoder extends MessageToByteEncoder<byte[]> {

    FrameEncoder() {
        super(byte[].class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, byte[] frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(TcpSettings.HEADER_BYTES + frame.length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, byte[] frame, ByteBuf out) {
        out.writeInt(frame.length);
        out.writeBytes(frame);
    }
}
