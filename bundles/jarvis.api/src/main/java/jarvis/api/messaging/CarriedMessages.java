package jarvis.api.messaging;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link MessageCarrier} hands what it received, and says when a contact became reachable. Messaging
 * stores received text as it stores jarvis/2 messages: de-duplicated, counted unread, announced to
 * {@link jarvis.api.MessageListener}s. Calls return at once (the work is queued).
 */
@ProviderType
public interface CarriedMessages {

    /** The carrier can now reach the contact: messages waiting for it may go. */
    void reachable(String contactUid);

    /**
     * A message the carrier received from a contact and authenticated (it decrypted under the contact's key).
     *
     * @param foreignId the sender's message id (32 lowercase hex); the same id from the same contact with the
     *                  same send time is stored once
     * @param groupId   the group for a group message, {@code null} for a direct one; group messages are
     *                  stored only if the contact is a member of a group we are in
     * @param sentAt    the time the sender claims: unauthenticated, so informative only; a carried message is
     *                  stored under an id of ours made when it arrived, and ordered by that
     */
    void received(String contactUid, String foreignId, String groupId, String text, Instant sentAt);
}
