package jarvis.crypto.internal;

import static jarvis.crypto.FiveLayerCipher.HEADER_LENGTH;
import static jarvis.crypto.FiveLayerCipher.LAYER_OVERHEAD;
import static jarvis.crypto.FiveLayerCipher.MAX_PLAINTEXT_LENGTH;
import static jarvis.crypto.FiveLayerCipher.MAX_RECORDS_PER_EPOCH;
import static jarvis.crypto.FiveLayerCipher.REPLAY_WINDOW;
import static jarvis.crypto.FiveLayerCipher.VERSION;

import jarvis.crypto.Aead;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.Hkdf;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.RecordCipher;
import jarvis.crypto.ReplayedRecordException;
import jarvis.crypto.Role;
import jarvis.crypto.Secrets;
import jarvis.crypto.TransportKeys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The jarvis/2 record layer. Each direction has a 32-byte chain secret per epoch; the five layer keys of an
 * epoch and the next epoch's chain secret are HKDF-SHA256 outputs of it, salted with the handshake hash and
 * separated by labels naming the direction and the layer.
 */
public final class FiveLayerRecordCipher implements RecordCipher {

    /** Layer n (1..5) uses LAYERS[n - 1]; layer 1 is applied first when sealing. */
    static final Aead[] LAYERS = {
        Aead.AES_256_GCM, Aead.CHACHA20_POLY1305, Aead.AES_256_GCM, Aead.CHACHA20_POLY1305, Aead.AES_256_GCM
    };

    /** Largest epoch number: it is a 32-bit field in the header. */
    static final long MAX_EPOCH = 0xFFFF_FFFFL;

    static final String INITIATOR_TO_RESPONDER = "initiator-to-responder";
    static final String RESPONDER_TO_INITIATOR = "responder-to-initiator";

    private final byte[] handshakeHash;
    private final Sender sender;
    private final Receiver receiver;

    public FiveLayerRecordCipher(TransportKeys keys, Role role) {
        this(keys, role, 0, 0);
    }

    /**
     * Treats the transport secrets as the chain secrets of epoch {@code epoch} for both directions and starts
     * the sending counter at {@code sendCounter}: lets tests reach the counter and epoch limits.
     */
    FiveLayerRecordCipher(TransportKeys keys, Role role, long epoch, long sendCounter) {
        if (epoch < 0 || epoch > MAX_EPOCH || sendCounter < 0 || sendCounter > MAX_RECORDS_PER_EPOCH) {
            throw new IllegalArgumentException("epoch or counter out of range");
        }
        this.handshakeHash = keys.handshakeHash();
        boolean initiator = role == Role.INITIATOR;
        byte[] i2r = keys.initiatorToResponder();
        byte[] r2i = keys.responderToInitiator();
        this.sender = new Sender(initiator ? i2r : r2i, initiator ? INITIATOR_TO_RESPONDER : RESPONDER_TO_INITIATOR,
                epoch, sendCounter);
        this.receiver = new Receiver(initiator ? r2i : i2r, initiator ? RESPONDER_TO_INITIATOR : INITIATOR_TO_RESPONDER,
                epoch);
    }

    @Override
    public byte[] seal(int contentType, byte[] plaintext) throws CryptoException {
        if (contentType < 0 || contentType > 255) {
            throw new IllegalArgumentException("content type must be 0..255");
        }
        if (plaintext.length > MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("record plaintext exceeds " + MAX_PLAINTEXT_LENGTH + " bytes; chunk it");
        }
        return sender.seal(contentType, plaintext);
    }

    @Override
    public ReceivedRecord open(byte[] record) throws CryptoException {
        if (record == null || record.length < HEADER_LENGTH + LAYER_OVERHEAD) {
            throw new CryptoException("record too short");
        }
        if (record.length > HEADER_LENGTH + MAX_PLAINTEXT_LENGTH + LAYER_OVERHEAD) {
            throw new CryptoException("record too long");
        }
        if ((record[0] & 0xff) != VERSION) {
            throw new CryptoException("unsupported record version " + (record[0] & 0xff));
        }
        long bodyLength = Bytes.readUint32(record, 14);
        if (bodyLength != record.length - HEADER_LENGTH) {
            throw new CryptoException("record length field does not match the record");
        }
        long counter = Bytes.readUint64(record, 6);
        if (counter < 0 || counter >= MAX_RECORDS_PER_EPOCH) {
            throw new CryptoException("record counter beyond the per-epoch limit");
        }
        return receiver.open(record, Bytes.readUint32(record, 2), counter);
    }

    @Override
    public void rekeySending() {
        sender.requestRekey();
    }

    @Override
    public void close() {
        sender.close();
        receiver.close();
    }

    /** Key schedule of one direction and epoch. */
    final class Epoch {
        final long number;
        final byte[] chain;
        final byte[][] layerKeys = new byte[LAYERS.length][];

        Epoch(long number, byte[] chain, String direction) {
            this.number = number;
            this.chain = chain;
            for (int n = 1; n <= LAYERS.length; n++) {
                layerKeys[n - 1] = Hkdf.SHA256.derive(handshakeHash, chain, layerLabel(direction, n), 32);
            }
        }

        Epoch next(String direction) {
            return new Epoch(number + 1, Hkdf.SHA256.derive(handshakeHash, chain, rekeyLabel(direction), 32),
                    direction);
        }

        void wipe() {
            Secrets.wipe(chain);
            Secrets.wipe(layerKeys);
        }
    }

    static byte[] layerLabel(String direction, int layer) {
        return ("jarvis/2 record " + direction + " layer " + layer).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] rekeyLabel(String direction) {
        return ("jarvis/2 record " + direction + " rekey").getBytes(StandardCharsets.US_ASCII);
    }

    /** Nonce of layer n (1..5) for a counter: 0x00 0x00 0x00 n, then the counter as uint64 big-endian. */
    static byte[] nonce(int layer, long counter) {
        byte[] nonce = new byte[Aead.NONCE_LENGTH];
        nonce[3] = (byte) layer;
        Bytes.writeUint64(nonce, 4, counter);
        return nonce;
    }

    static byte[] header(int contentType, long epoch, long counter, int bodyLength) {
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = (byte) VERSION;
        header[1] = (byte) contentType;
        Bytes.writeUint32(header, 2, epoch);
        Bytes.writeUint64(header, 6, counter);
        Bytes.writeUint32(header, 14, bodyLength);
        return header;
    }

    private final class Sender {
        private final String direction;
        private Epoch epoch;
        private long nextCounter;
        private boolean rekeyRequested;
        private boolean closed;

        Sender(byte[] chain, String direction, long epochNumber, long firstCounter) {
            this.direction = direction;
            this.epoch = new Epoch(epochNumber, chain, direction);
            this.nextCounter = firstCounter;
        }

        synchronized byte[] seal(int contentType, byte[] plaintext) throws CryptoException {
            if (closed) {
                throw new CryptoException("record cipher closed");
            }
            if (rekeyRequested || nextCounter >= MAX_RECORDS_PER_EPOCH) {
                if (epoch.number >= MAX_EPOCH) {
                    throw new CryptoException("sending keys exhausted: every epoch used; re-run the handshake");
                }
                Epoch next = epoch.next(direction);
                epoch.wipe();
                epoch = next;
                nextCounter = 0;
                rekeyRequested = false;
            }
            long counter = nextCounter++;
            byte[] header = header(contentType, epoch.number, counter, plaintext.length + LAYER_OVERHEAD);
            byte[] body = plaintext;
            for (int n = 1; n <= LAYERS.length; n++) {
                byte[] sealed = LAYERS[n - 1].seal(epoch.layerKeys[n - 1], nonce(n, counter), header, body);
                if (body != plaintext) {
                    Secrets.wipe(body);
                }
                body = sealed;
            }
            byte[] record = Arrays.copyOf(header, HEADER_LENGTH + body.length);
            System.arraycopy(body, 0, record, HEADER_LENGTH, body.length);
            return record;
        }

        synchronized void requestRekey() {
            rekeyRequested = true;
        }

        synchronized void close() {
            closed = true;
            epoch.wipe();
        }
    }

    private final class Receiver {
        private final String direction;
        private Epoch epoch;
        /** Highest authentic counter of the current epoch, -1 before the first. */
        private long highest = -1;
        /** Bit i set: counter highest - i was accepted. */
        private long window;
        private boolean closed;

        Receiver(byte[] chain, String direction, long epochNumber) {
            this.direction = direction;
            this.epoch = new Epoch(epochNumber, chain, direction);
        }

        synchronized ReceivedRecord open(byte[] record, long epochNumber, long counter) throws CryptoException {
            if (closed) {
                throw new CryptoException("record cipher closed");
            }
            Epoch keys;
            if (epochNumber == epoch.number) {
                checkFresh(counter);
                keys = epoch;
            } else if (epochNumber == epoch.number + 1) {
                // The sender ratchets one epoch at a time, so only the next one can appear.
                keys = epoch.next(direction);
            } else if (epochNumber < epoch.number) {
                throw new ReplayedRecordException("record from superseded key epoch " + epochNumber);
            } else {
                throw new AuthenticationFailedException("record from unknown future key epoch " + epochNumber);
            }
            byte[] header = Arrays.copyOfRange(record, 0, HEADER_LENGTH);
            byte[] body = Arrays.copyOfRange(record, HEADER_LENGTH, record.length);
            try {
                for (int n = LAYERS.length; n >= 1; n--) {
                    byte[] opened = LAYERS[n - 1].open(keys.layerKeys[n - 1], nonce(n, counter), header, body);
                    Secrets.wipe(body);
                    body = opened;
                }
            } catch (AuthenticationFailedException e) {
                if (keys != epoch) {
                    keys.wipe();
                }
                throw new AuthenticationFailedException("record authentication failed");
            }
            if (keys != epoch) {
                epoch.wipe();
                epoch = keys;
                highest = -1;
                window = 0;
            }
            accept(counter);
            return new ReceivedRecord(record[1] & 0xff, epochNumber, counter, body);
        }

        private void checkFresh(long counter) throws ReplayedRecordException {
            if (counter > highest) {
                return;
            }
            long age = highest - counter;
            if (age >= REPLAY_WINDOW) {
                throw new ReplayedRecordException("record counter " + counter + " is older than the replay window");
            }
            if ((window & (1L << age)) != 0) {
                throw new ReplayedRecordException("record counter " + counter + " was already received");
            }
        }

        private void accept(long counter) {
            if (counter > highest) {
                long shift = highest < 0 ? REPLAY_WINDOW : counter - highest;
                window = shift >= REPLAY_WINDOW ? 1L : (window << shift) | 1L;
                highest = counter;
            } else {
                window |= 1L << (highest - counter);
            }
        }

        synchronized void close() {
            closed = true;
            epoch.wipe();
        }
    }
}
