package jarvis.api.feature;

/** A feature could not be installed or uninstalled; the message says why in user terms. */
public class FeatureException extends Exception {

    private static final long serialVersionUID = 1L;

    public FeatureException(String message) {
        super(message);
    }

    public FeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
