package jarvis.crypto;

/** An authenticated, decrypted record: the sender's content type, its counter and its plaintext. */
public final class ReceivedRecord {

    private final int contentType;
    private final long epoch;
    private final long counter;
    private final byte[] payload;

    public ReceivedRecord(int contentType, long epoch, long counter, byte[] payload) {
        this.contentType = contentType;
        this.epoch = epoch;
        this.counter = counter;
        this.payload = payload;
    }

    /** The content type byte (0..255) chosen by the sender; opaque to the cipher. */
    public int contentType() {
        return contentType;
    }

    /** The key epoch the record was sealed in (0 until the first rekey). */
    public long epoch() {
        return epoch;
    }

    /** The record's counter within its epoch. */
    public long counter() {
        return counter;
    }

    /** The plaintext (not copied: the record owns no other reference to it). */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        return "ReceivedRecord[type=" + contentType + ", epoch=" + epoch + ", counter=" + counter + ", "
                + payload.length + " bytes]";
    }
}
