package jarvis.transport.tcp.internal;

import java.io.IOException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import jarvis.api.transport.FrameReceiver;
import jarvis.api.transport.LinkAcceptor;
import jarvis.api.transport.TransportException;

/**
 * The last handler of a link: hands decoded frames to the link's receiver, closes the link on the
 * first error, and tells the receiver exactly once that the link closed. Runs on the link's event
 * loop, so receiver calls for one link never overlap.
 */
final class LinkHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(LinkHandler.class.getName());

    private final TcpLink link;
    private final LinkAcceptor acceptor;
    private FrameReceiver receiver;
    private Throwable cause;
    private boolean opened;
    private boolean closedReported;

    /** For a dialed link, whose receiver is known up front. */
    LinkHandler(TcpLink link, FrameReceiver receiver) {
        this.link = link;
        this.receiver = receiver;
        this.acceptor = null;
    }

    /** For an inbound link: the acceptor names the receiver once the link is active. */
    LinkHandler(TcpLink link, LinkAcceptor acceptor) {
        this.link = link;
        this.acceptor = acceptor;
    }

    TcpLink link() {
        return link;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isActive()) {
            // Closed while connecting (a dial nobody waits for any more): the receiver never had this link.
            return;
        }
        if (receiver == null) {
            try {
                receiver = acceptor.accepted(link);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "acceptor failed for inbound " + link + "; closing it", e);
            }
            if (receiver == null) {
                // Nobody will ever hear of this link, so it is closed without a closed() call.
                ctx.close();
                return;
            }
        }
        opened = true;
        LOG.log(System.Logger.Level.DEBUG, () -> "opened " + link);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[] frame)) {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("unexpected message " + msg.getClass().getName() + " on " + link);
        }
        // After close() or an error, frames already decoded from the same read are dropped.
        if (!opened || cause != null || !ctx.channel().isActive()) {
            return;
        }
        try {
            receiver.frame(link, frame);
        } catch (RuntimeException e) {
            fail(ctx, new TransportException("receiver of " + link + " failed on a frame", e));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
        fail(ctx, error);
    }

    private void fail(ChannelHandlerContext ctx, Throwable error) {
        if (cause == null) {
            cause = error;
            if (error instanceof IOException) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + link + ": " + error);
            } else {
                LOG.log(System.Logger.Level.INFO, "closing " + link + ": " + error.getMessage());
            }
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (opened && !closedReported) {
            closedReported = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "closed " + link + (cause == null ? "" : ": " + cause));
            try {
                receiver.closed(link, cause);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "receiver of " + link + " failed on closed()", e);
            }
        }
        ctx.fireChannelInactive();
    }
}
