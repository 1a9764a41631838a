package jarvis.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: receives application payloads from authenticated sessions. Calls for one contact are
 * in order and never concurrent; they must not block (hand work to another thread).
 */
@ConsumerType
public interface PeerPayloadHandler {

    /** Service property: the content types a handler wants (Integer or Integer[]); absent means all. */
    String CONTENT_TYPES = "jarvis.content.types";

    void received(String contactUid, int contentType, byte[] payload);
}
