package jarvis.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One text message of a conversation.
 *
 * @param id             unique, time-sortable message id
 * @param conversationId the contact uid for one-to-one messages, the group id for group messages
 * @param senderUid      the author's uid
 * @param text           the text as typed
 * @param timestamp      when the author sent it (UTC)
 * @param outgoing       whether we wrote it
 * @param state          delivery state (for incoming messages: {@link DeliveryState#DELIVERED} or
 *                       {@link DeliveryState#READ})
 */
public record Message(String id, String conversationId, String senderUid, String text, Instant timestamp,
        boolean outgoing, DeliveryState state) {

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Ids.requireUid(senderUid);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(state, "state");
    }

    public Message withState(DeliveryState newState) {
        return new Message(id, conversationId, senderUid, text, timestamp, outgoing, newState);
    }
}
