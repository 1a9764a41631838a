package jarvis.tui.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message of a conversation as the chat view shows it.
 *
 * @param conversationId the contact's uid, or the group's id
 */
public record ChatMessage(String id, String conversationId, String senderUid, String text, Instant timestamp,
        boolean outgoing, DeliveryMark mark) {

    /** From {@code get_messages} (field {@code content}, {@code sent_by_me}) or an event ({@code message}, {@code outgoing}). */
    public static ChatMessage from(JsonNode m) {
        String text = m.has("content") ? m.path("content").asText() : m.path("message").asText();
        boolean outgoing = m.has("sent_by_me") ? m.path("sent_by_me").asBoolean() : m.path("outgoing").asBoolean();
        String conversation = m.hasNonNull("group_id") ? m.path("group_id").asText() : m.path("conversation_id").asText();
        return new ChatMessage(m.path("message_id").asText(), conversation, m.path("sender_uid").asText(),
                SafeText.message(text), instant(m.path("timestamp").asText()), outgoing,
                DeliveryMark.of(m.path("state").asText()));
    }

    public ChatMessage withMark(DeliveryMark next) {
        return new ChatMessage(id, conversationId, senderUid, text, timestamp, outgoing, mark.advance(next));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.now(); // a daemon always sends ISO instants; never fail a screen over one
        }
    }
}
