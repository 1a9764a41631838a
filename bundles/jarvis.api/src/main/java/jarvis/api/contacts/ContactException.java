package jarvis.api.contacts;

/** A contact operation failed; the message says why in user terms. */
public class ContactException extends Exception {

    private static final long serialVersionUID = 1L;

    public ContactException(String message) {
        super(message);
    }

    public ContactException(String message, Throwable cause) {
        super(message, cause);
    }
}
