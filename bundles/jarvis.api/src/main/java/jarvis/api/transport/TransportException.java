package jarvis.api.transport;

/** A transport could not do what was asked: bind, connect, or queue a frame. */
public class TransportException extends Exception {

    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
