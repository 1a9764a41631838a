package jarvis.api.groups;

/** A group operation refused or failed; the message says why in words a user understands. */
public class GroupException extends Exception {

    private static final long serialVersionUID = 1L;

    public GroupException(String message) {
        super(message);
    }

    public GroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
