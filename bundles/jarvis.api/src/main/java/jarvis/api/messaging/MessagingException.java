package jarvis.api.messaging;

/** A messaging request could not be done; the message is meant to be shown to the user as it is. */
public class MessagingException extends Exception {

    private static final long serialVersionUID = 1L;

    public MessagingException(String message) {
        super(message);
    }

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
