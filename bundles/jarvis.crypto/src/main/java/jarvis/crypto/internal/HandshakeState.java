package jarvis.crypto.internal;

import jarvis.crypto.Aead;
import jarvis.crypto.CryptoException;
import jarvis.crypto.NoiseHandshake;
import jarvis.crypto.Role;
import jarvis.crypto.Secrets;
import jarvis.crypto.TransportKeys;
import jarvis.crypto.X25519KeyPair;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Noise HandshakeState (rev 34 section 5.3) for DH 25519 and hash SHA256. */
public final class HandshakeState implements NoiseHandshake {

    private static final int DH_LENGTH = X25519KeyPair.KEY_LENGTH;

    private enum Status { IN_PROGRESS, COMPLETE, SPLIT, FAILED, CLOSED }

    private final HandshakePattern pattern;
    private final Role role;
    private final String protocolName;
    private final SymmetricState symmetric;
    private final SecureRandom random;
    private final X25519KeyPair localStatic;
    private X25519KeyPair localEphemeral;
    private byte[] remoteStatic;
    private byte[] remoteEphemeral;
    private int messageIndex;
    private Status status = Status.IN_PROGRESS;

    /**
     * @param fixedEphemeral used instead of a random ephemeral key: test vectors only
     */
    HandshakeState(HandshakePattern pattern, Aead cipher, Role role, byte[] prologue, X25519KeyPair localStatic,
            byte[] remoteStatic, X25519KeyPair fixedEphemeral, SecureRandom random) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.role = Objects.requireNonNull(role, "role");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(prologue, "prologue");
        if (remoteStatic != null && remoteStatic.length != DH_LENGTH) {
            throw new IllegalArgumentException("a remote static key has 32 bytes");
        }
        this.protocolName = "Noise_" + pattern.name + "_25519_" + cipher.noiseName() + "_SHA256";
        this.symmetric = new SymmetricState(protocolName, cipher);
        this.random = random;
        this.localStatic = localStatic;
        this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
        this.localEphemeral = fixedEphemeral;
        boolean initiator = role == Role.INITIATOR;
        boolean needLocalStatic = pattern.messages.stream().flatMap(List::stream)
                .anyMatch(t -> t == HandshakePattern.Token.S && sentBy(pattern, t, initiator))
                || (initiator ? pattern.initiatorStaticPreMessage : pattern.responderStaticPreMessage)
                || usesOwnStatic(pattern, initiator);
        if (needLocalStatic && localStatic == null) {
            throw new IllegalArgumentException(pattern.name + " needs the local static key");
        }
        boolean needRemoteStatic = initiator ? pattern.responderStaticPreMessage : pattern.initiatorStaticPreMessage;
        if (needRemoteStatic != (remoteStatic != null)) {
            throw new IllegalArgumentException(needRemoteStatic ? pattern.name + " needs the remote static key"
                    : pattern.name + " must not be given the remote static key");
        }
        if (fixedEphemeral == null && random == null) {
            throw new IllegalArgumentException("a SecureRandom is needed for ephemeral keys");
        }
        symmetric.mixHash(prologue);
        // Pre-message keys: the initiator's first, then the responder's (section 5.3).
        if (pattern.initiatorStaticPreMessage) {
            symmetric.mixHash(initiator ? localStatic.publicKey() : this.remoteStatic);
        }
        if (pattern.responderStaticPreMessage) {
            symmetric.mixHash(initiator ? this.remoteStatic : localStatic.publicKey());
        }
    }

    public static HandshakeState create(HandshakePattern pattern, Aead cipher, Role role, byte[] prologue,
            X25519KeyPair localStatic, byte[] remoteStatic, SecureRandom random) {
        return new HandshakeState(pattern, cipher, role, prologue, localStatic, remoteStatic, null,
                Objects.requireNonNull(random, "random"));
    }

    private static boolean sentBy(HandshakePattern pattern, HandshakePattern.Token token, boolean initiator) {
        for (int i = 0; i < pattern.messages.size(); i++) {
            if (pattern.messages.get(i).contains(token) && (i % 2 == 0) == initiator) {
                return true;
            }
        }
        return false;
    }

    /** es uses the responder's static key, se the initiator's, ss both. */
    private static boolean usesOwnStatic(HandshakePattern pattern, boolean initiator) {
        return pattern.messages.stream().flatMap(List::stream).anyMatch(t -> t == HandshakePattern.Token.SS
                || (t == HandshakePattern.Token.ES && !initiator) || (t == HandshakePattern.Token.SE && initiator));
    }

    @Override
    public String protocolName() {
        return protocolName;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public boolean isMyTurnToWrite() {
        return status == Status.IN_PROGRESS && (messageIndex % 2 == 0) == (role == Role.INITIATOR);
    }

    @Override
    public boolean isComplete() {
        return status == Status.COMPLETE || status == Status.SPLIT;
    }

    @Override
    public byte[] remoteStaticKey() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    @Override
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    @Override
    public byte[] writeMessage(byte[] payload) throws CryptoException {
        Objects.requireNonNull(payload, "payload");
        if (!isMyTurnToWrite()) {
            throw new IllegalStateException("not this side's turn to write (status " + status + ")");
        }
        List<HandshakePattern.Token> tokens = pattern.messages.get(messageIndex);
        if (payload.length + overhead(tokens) > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("handshake payload too large");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (HandshakePattern.Token token : tokens) {
                switch (token) {
                    case E:
                        if (localEphemeral == null) {
                            localEphemeral = X25519KeyPair.generate(random);
                        }
                        byte[] e = localEphemeral.publicKey();
                        out.write(e, 0, e.length);
                        symmetric.mixHash(e);
                        break;
                    case S:
                        byte[] s = symmetric.encryptAndHash(localStatic.publicKey());
                        out.write(s, 0, s.length);
                        break;
                    default:
                        mixDh(token);
                }
            }
            byte[] c = symmetric.encryptAndHash(payload);
            out.write(c, 0, c.length);
        } catch (CryptoException | RuntimeException ex) {
            fail();
            throw ex;
        }
        advance();
        return out.toByteArray();
    }

    @Override
    public byte[] readMessage(byte[] message) throws CryptoException {
        if (status != Status.IN_PROGRESS || isMyTurnToWrite()) {
            fail();
            throw new CryptoException("unexpected handshake message (not this side's turn to read)");
        }
        if (message == null || message.length > MAX_MESSAGE_LENGTH) {
            fail();
            throw new CryptoException("handshake message longer than " + MAX_MESSAGE_LENGTH + " bytes");
        }
        int offset = 0;
        byte[] payload;
        try {
            for (HandshakePattern.Token token : pattern.messages.get(messageIndex)) {
                switch (token) {
                    case E:
                        remoteEphemeral = take(message, offset, DH_LENGTH);
                        offset += DH_LENGTH;
                        symmetric.mixHash(remoteEphemeral);
                        break;
                    case S:
                        int length = DH_LENGTH + (symmetric.hasKey() ? Aead.TAG_LENGTH : 0);
                        byte[] encrypted = take(message, offset, length);
                        offset += length;
                        remoteStatic = symmetric.decryptAndHash(encrypted);
                        break;
                    default:
                        mixDh(token);
                }
            }
            if (symmetric.hasKey() && message.length - offset < Aead.TAG_LENGTH) {
                throw new CryptoException("truncated handshake message");
            }
            payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, offset, message.length));
        } catch (CryptoException | RuntimeException ex) {
            fail();
            if (ex instanceof CryptoException) {
                throw (CryptoException) ex;
            }
            throw new CryptoException("malformed handshake message", ex);
        }
        advance();
        return payload;
    }

    @Override
    public TransportKeys split() {
        if (status != Status.COMPLETE) {
            throw new IllegalStateException("handshake not complete or already split (status " + status + ")");
        }
        byte[][] keys = symmetric.split();
        try {
            return TransportKeys.of(keys[0], keys[1], symmetric.handshakeHash());
        } finally {
            Secrets.wipe(keys);
            status = Status.SPLIT;
            wipe();
        }
    }

    @Override
    public void close() {
        if (status != Status.SPLIT && status != Status.FAILED) {
            status = Status.CLOSED;
        }
        wipe();
    }

    private void mixDh(HandshakePattern.Token token) throws CryptoException {
        boolean initiator = role == Role.INITIATOR;
        byte[] shared;
        switch (token) {
            case EE:
                shared = localEphemeral.agree(remoteEphemeral);
                break;
            case ES:
                shared = initiator ? localEphemeral.agree(remoteStatic) : localStatic.agree(remoteEphemeral);
                break;
            case SE:
                shared = initiator ? localStatic.agree(remoteEphemeral) : localEphemeral.agree(remoteStatic);
                break;
            case SS:
                shared = localStatic.agree(remoteStatic);
                break;
            default:
                throw new IllegalStateException("not a DH token: " + token);
        }
        symmetric.mixKey(shared);
        Secrets.wipe(shared);
    }

    private static byte[] take(byte[] message, int offset, int length) throws CryptoException {
        if (message.length - offset < length) {
            throw new CryptoException("truncated handshake message");
        }
        return Arrays.copyOfRange(message, offset, offset + length);
    }

    /** Bytes the tokens add around the payload; a tag only where a key is already mixed in. */
    private int overhead(List<HandshakePattern.Token> tokens) {
        boolean keyed = symmetric.hasKey();
        int n = 0;
        for (HandshakePattern.Token t : tokens) {
            if (t == HandshakePattern.Token.E) {
                n += DH_LENGTH;
            } else if (t == HandshakePattern.Token.S) {
                n += DH_LENGTH + (keyed ? Aead.TAG_LENGTH : 0);
            } else {
                keyed = true;
            }
        }
        return n + (keyed ? Aead.TAG_LENGTH : 0);
    }

    private void advance() {
        messageIndex++;
        if (messageIndex == pattern.messages.size()) {
            status = Status.COMPLETE;
            if (localEphemeral != null) {
                localEphemeral.destroy();
            }
        }
    }

    private void fail() {
        status = Status.FAILED;
        wipe();
    }

    private void wipe() {
        symmetric.wipe();
        if (localEphemeral != null) {
            localEphemeral.destroy();
        }
    }
}
