package jarvis.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard listener: register as a service to hear about messages. Calls must not block. */
@ConsumerType
public interface MessageListener {

    /** A message arrived and is stored; called exactly once per message. */
    void messageReceived(Message message);

    /**
     * A message moved to a later delivery state: an outgoing one on its way to the peer, or a received one
     * marked read here ({@code outgoing() == false}, DELIVERED to READ).
     */
    default void deliveryStateChanged(Message message, DeliveryState previous) {
    }
}
