package jarvis.crypto;

/**
 * A record's counter was already accepted, is older than the receive window, or belongs to a superseded key
 * epoch. The record is authentic or not, it is dropped either way and the receive state is unchanged.
 */
public class ReplayedRecordException extends CryptoException {

    private static final long serialVersionUID = 1L;

    public ReplayedRecordException(String message) {
        super(message);
    }
}
