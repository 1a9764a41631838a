package jarvis.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of inbound links on a listening endpoint. */
@ConsumerType
public interface LinkAcceptor {

    /**
     * A peer connected. Returns who receives the link's frames; must not block.
     */
    FrameReceiver accepted(Link link);
}
