package jarvis.api.session;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jarvis.api.ConnectionState;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The session core as other bundles see it: one authenticated session per contact at most, kept up
 * over every transport present. Payloads travel inside the record layer; the content type tells the
 * receiving {@link PeerPayloadHandler}s what they carry.
 */
@ProviderType
public interface PeerNetwork {

    /** First content type free for application protocols (messaging, groups); lower ones are the session's own. */
    int FIRST_APPLICATION_TYPE = 16;

    /** The state of the session with a contact ({@link ConnectionState#OFFLINE} for unknown uids). */
    ConnectionState state(String contactUid);

    /** Health of every contact's session, known or attempted. */
    List<PeerHealth> health();

    /** The aggregate status of a set of contacts (one contact, or a group's members). */
    StatusColour status(Collection<String> contactUids);

    /**
     * Sends a payload on the contact's authenticated session.
     *
     * @param contentType {@link #FIRST_APPLICATION_TYPE} to 255
     * @return completes when the record was handed to the transport; fails with
     *         {@link PeerUnavailableException} when the contact is not online or the link's queue is full
     */
    CompletionStage<Void> send(String contactUid, int contentType, byte[] payload);

    /** Dials the contact at once instead of waiting for the next reconnect attempt. */
    void connectNow(String contactUid);
}
