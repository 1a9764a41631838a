package jarvis.client;

import java.io.IOException;

/** No daemon answered for the data directory: neither its Unix socket nor its TCP port and token. */
public class DaemonNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    public DaemonNotFoundException(String message) {
        super(message);
    }
}
