package jarvis.api.messaging;

import java.util.List;
import java.util.Optional;

import jarvis.api.Message;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages with contacts and in groups. A conversation id is the contact's uid, or the group's id for a group
 * ({@link jarvis.api.Ids#isGroupId}). Message ids are 32 lowercase
 * hex characters and sort by the author's send time (a 48-bit millisecond timestamp followed by 80 random
 * bits), so ordering by id is ordering by (author's timestamp, id).
 *
 * <p>Outgoing messages go through a durable outbox: they wait while the contact is offline or its key
 * changed, are resent until the contact acknowledges them as stored, and fail after the configured
 * expiry. Their state only moves forward: {@code QUEUED → SENT → DELIVERED → READ}, or
 * {@code QUEUED/SENT → FAILED} (a late acknowledgement still moves a failed message to DELIVERED).
 */
@ProviderType
public interface MessageService {

    /** Largest text, in UTF-8 bytes. */
    int MAX_TEXT_BYTES = 64 * 1024;

    /** Largest page {@link #history} and {@link #search} return. */
    int MAX_PAGE = 500;

    /**
     * Stores a message to a contact and queues it for delivery.
     *
     * @return the stored message, {@link jarvis.api.DeliveryState#QUEUED}; it is durable when this returns
     * @throws MessagingException unknown contact, empty text, text over {@link #MAX_TEXT_BYTES}, store failure
     */
    Message send(String contactUid, String text) throws MessagingException;

    /**
     * Stores a message to a group and queues one copy for each joined member but us (each goes over that
     * member's own session, with the same id). Its state is SENT once a copy went out, DELIVERED once every
     * member acknowledged it, FAILED when a member's copy expired. Group messages get no read receipts.
     *
     * @return the stored message, {@link jarvis.api.DeliveryState#QUEUED} (DELIVERED when we are alone)
     * @throws MessagingException unknown group, not a member, empty or oversized text, store failure
     */
    Message sendToGroup(String groupId, String text) throws MessagingException;

    /** A stored message by id. */
    Optional<Message> message(String messageId) throws MessagingException;

    /**
     * A page of a conversation, <b>newest first</b>.
     *
     * @param beforeId only messages with an id lower than this one (the last id of the previous page), or
     *                 {@code null} for the newest page
     * @param limit    1 to {@link #MAX_PAGE}
     */
    List<Message> history(String conversationId, String beforeId, int limit) throws MessagingException;

    /** Received messages of the conversation not yet marked read. */
    int unreadCount(String conversationId) throws MessagingException;

    /** Received messages not yet marked read, in all conversations. */
    int totalUnread() throws MessagingException;

    /**
     * Marks every received message of the conversation read and, unless read receipts are switched off
     * (configuration {@code read.receipts}) or the conversation is a group's, tells the contact.
     *
     * @return how many messages changed
     */
    int markRead(String conversationId) throws MessagingException;

    /**
     * Deletes a message here (never at the peer). An outgoing message still in the outbox is not sent.
     *
     * @return whether it existed
     */
    boolean delete(String messageId) throws MessagingException;

    /** Deletes a whole conversation here; returns how many messages were deleted. */
    int deleteConversation(String conversationId) throws MessagingException;

    /**
     * Messages whose text contains {@code text}, ignoring case, newest first. This scans every stored
     * message (the store is encrypted as a whole, there is no plaintext index): its cost grows with the
     * history.
     *
     * @param limit 1 to {@link #MAX_PAGE}
     */
    List<Message> search(String text, int limit) throws MessagingException;

    /**
     * Tells an online contact that the user is typing. Never stored, never queued.
     *
     * @return whether it was handed to the contact's session (false when the contact is not online)
     * @throws MessagingException unknown contact
     */
    boolean typing(String contactUid) throws MessagingException;
}
