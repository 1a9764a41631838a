package jarvis.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives what arrives on one link. Calls for one link are never concurrent and must not block. */
@ConsumerType
public interface FrameReceiver {

    /** One whole frame, already checked against the link's current size limit. */
    void frame(Link link, byte[] frame);

    /**
     * The link is closed, called once.
     *
     * @param cause why, or {@code null} for an orderly close by either side
     */
    void closed(Link link, Throwable cause);
}
