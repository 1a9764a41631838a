package jarvis.api.transport;

import java.util.concurrent.CompletionStage;

import jarvis.api.Endpoint;
import org.osgi.annotation.versioning.ProviderType;

/** One open connection of a transport, carrying whole frames in order. */
@ProviderType
public interface Link {

    /** The peer's address as the transport sees it (not proof of identity). */
    Endpoint remote();

    /**
     * Queues a frame. The write queue is bounded: when it is full the returned stage fails with a
     * {@link TransportException} instead of buffering without limit.
     *
     * @return completes when the frame was handed to the network
     */
    CompletionStage<Void> send(byte[] frame);

    /** Whether the write queue has room; a sender that respects it never sees a full queue. */
    boolean isWritable();

    /**
     * Raises the frame limit once the peer is authenticated (before that, frames are capped at
     * {@link Limits#PRE_AUTH_MAX_FRAME}); never above {@link Transport#maxFrameSize()}.
     */
    void authenticated();

    boolean isOpen();

    /** Closes the link; the receiver's {@link FrameReceiver#closed} is called once. */
    void close();
}
