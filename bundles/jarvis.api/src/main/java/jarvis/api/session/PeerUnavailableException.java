package jarvis.api.session;

/** A payload could not be handed to a contact's session: not online, or its queue is full. */
public class PeerUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public PeerUnavailableException(String message) {
        super(message);
    }
}
