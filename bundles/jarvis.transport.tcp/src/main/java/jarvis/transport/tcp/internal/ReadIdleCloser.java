package jarvis.transport.tcp.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import jarvis.api.transport.TransportException;

/** Reports a link on which nothing at all was read for the idle timeout; the link handler closes it. */
final class ReadIdleCloser extends IdleStateHandler {

    private final int seconds;

    ReadIdleCloser(int seconds) {
        super(seconds, 0, 0, TimeUnit.SECONDS);
        this.seconds = seconds;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE) {
            ctx.fireExceptionCaught(new TransportException("nothing read for " + seconds + " s"));
        }
    }
}
