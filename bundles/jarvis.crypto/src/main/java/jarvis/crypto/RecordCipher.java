package jarvis.crypto;

/**
 * The jarvis/2 record layer of one session, both directions: seals outgoing records with counter nonces and
 * opens incoming ones with a replay window. Thread-safe; sealing and opening may run concurrently.
 * Byte layout: {@code docs/protocol.md}, section "Record layer".
 */
public interface RecordCipher extends AutoCloseable {

    /**
     * Seals one record. The counter advances with every call; when it reaches the per-epoch limit the
     * sending keys are ratcheted forward automatically before sealing.
     *
     * @param contentType 0..255, carried in the authenticated header
     * @param plaintext at most {@link FiveLayerCipher#MAX_PLAINTEXT_LENGTH} bytes; larger payloads are
     *        chunked by the caller
     * @return the whole record: header followed by the five-layer ciphertext
     * @throws CryptoException if the sending keys are exhausted (every epoch used) or the cipher is closed;
     *         the session must then be re-established with a new handshake
     */
    byte[] seal(int contentType, byte[] plaintext) throws CryptoException;

    /**
     * Authenticates and decrypts one record. The receive state changes only when the record is authentic
     * and fresh.
     *
     * @throws ReplayedRecordException if the counter was seen, is older than the window, or the epoch was
     *         superseded
     * @throws AuthenticationFailedException if any layer's tag fails
     * @throws CryptoException if the record is malformed (length, version, header fields) or the cipher is
     *         closed
     */
    ReceivedRecord open(byte[] record) throws CryptoException;

    /**
     * Ratchets the sending keys one epoch forward (HKDF of the old chain secret; the old keys are wiped).
     * Takes effect at the next {@link #seal}; calling it again before that seal changes nothing more.
     */
    void rekeySending();

    /** Wipes all keys; later calls to seal and open fail. */
    @Override
    void close();
}
