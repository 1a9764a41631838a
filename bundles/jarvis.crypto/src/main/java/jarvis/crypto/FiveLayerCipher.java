package jarvis.crypto;

import jarvis.crypto.internal.FiveLayerRecordCipher;

import java.util.Objects;

/**
 * Factory and constants of the jarvis/2 five-layer record cipher: AES-256-GCM, ChaCha20-Poly1305,
 * AES-256-GCM, ChaCha20-Poly1305, AES-256-GCM, ten independent layer keys (five per direction) derived by
 * HKDF-SHA256 from the handshake's {@link TransportKeys}, counter nonces, the header as associated data of
 * every layer, a 64-record replay window, and a forward ratchet (rekey) per direction.
 */
public final class FiveLayerCipher {

    /** Record format version, the first header byte. */
    public static final int VERSION = 2;
    /** Header bytes: version (1), content type (1), epoch (4), counter (8), body length (4). */
    public static final int HEADER_LENGTH = 18;
    /** Tag bytes added by the five layers. */
    public static final int LAYER_OVERHEAD = 5 * Aead.TAG_LENGTH;
    /** Largest plaintext of one record: 64 KiB. */
    public static final int MAX_PLAINTEXT_LENGTH = 64 * 1024;
    /** Largest record on the wire. */
    public static final int MAX_RECORD_LENGTH = HEADER_LENGTH + MAX_PLAINTEXT_LENGTH + LAYER_OVERHEAD;
    /** Records per direction and epoch; the sender rekeys before the counter reaches it. */
    public static final long MAX_RECORDS_PER_EPOCH = 1L << 48;
    /** Width of the receive window in records. */
    public static final int REPLAY_WINDOW = 64;

    private FiveLayerCipher() {
    }

    /**
     * The record cipher of one session for the party playing {@code role}. The keys are copied; the caller
     * may destroy {@code keys} afterwards.
     */
    public static RecordCipher create(TransportKeys keys, Role role) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(role, "role");
        return new FiveLayerRecordCipher(keys, role);
    }
}
