package jarvis.api.messaging;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: a contact is typing a message to us. Nothing of it is stored; a frontend shows
 * the indicator for a few seconds after the last call. Calls must not block.
 */
@ConsumerType
public interface TypingListener {

    void typing(String contactUid);
}
