package jarvis.api.store;

/** The store could not do what was asked: closed, full disk, corrupt file, failed SQL. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
