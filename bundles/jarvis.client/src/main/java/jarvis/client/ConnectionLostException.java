package jarvis.client;

import java.io.IOException;

/**
 * The request was not answered because the connection to the daemon closed (the daemon stopped or
 * restarted) or is being re-established; it may or may not have been carried out.
 */
public class ConnectionLostException extends IOException {

    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message) {
        super(message);
    }

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
