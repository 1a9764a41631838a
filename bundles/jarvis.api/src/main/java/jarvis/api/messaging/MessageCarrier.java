package jarvis.api.messaging;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A second way to carry text to contacts that cannot speak jarvis/2 (Jarvis 1.x peers). Messaging uses a
 * carrier only for a contact whose jarvis/2 session is not online, and only while the carrier
 * {@link #reaches} it. A carrier has no acknowledgements: a message it has written is SENT and leaves the
 * outbox, and never becomes DELIVERED. What a carrier receives it hands to {@link CarriedMessages}.
 */
@ConsumerType
public interface MessageCarrier {

    /** Service property: a short name shown in logs, e.g. {@code jarvis1}. */
    String NAME_PROPERTY = "jarvis.carrier";

    /** Whether a message to the contact can be written now (a link to it is up and trusted). */
    boolean reaches(String contactUid);

    /** Asks for a link to the contact if the carrier may use one; returns at once. */
    void connectNow(String contactUid);

    /**
     * Writes one message to the contact.
     *
     * @param groupId the group for a group message, {@code null} for a direct one
     * @return completes when the message was written to the link; fails when the link is gone or refuses it
     */
    CompletionStage<Void> send(String contactUid, String messageId, String groupId, String text, Instant sentAt);
}
