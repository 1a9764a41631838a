package jarvis.session.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.BadPeerKeyException;
import jarvis.crypto.X25519KeyPair;

/** A real unlocked identity backed by an X25519 key pair, without the identity bundle's files and passwords. */
public final class TestIdentity implements UnlockedIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X25519KeyPair keys;
    private final IdentitySummary summary;
    private volatile boolean unlocked = true;

    public TestIdentity(String uid, String username, X25519KeyPair keys) {
        this.keys = keys;
        this.summary = new IdentitySummary(uid, username, keys.fingerprint().hex(), Instant.now(), true);
    }

    public static TestIdentity generate(String username) {
        byte[] uid = new byte[16];
        RANDOM.nextBytes(uid);
        return new TestIdentity(HexFormat.of().formatHex(uid), username, X25519KeyPair.generate(RANDOM));
    }

    /** Someone who claims this identity's uid and name but holds a key of its own. */
    public TestIdentity impostor() {
        return new TestIdentity(summary.uid(), summary.username(), X25519KeyPair.generate(RANDOM));
    }

    public X25519KeyPair keys() {
        return keys;
    }

    public String uid() {
        return summary.uid();
    }

    public String publicKeyHex() {
        return HexFormat.of().formatHex(keys.publicKey());
    }

    public String fingerprint() {
        return summary.fingerprint();
    }

    @Override
    public IdentitySummary summary() {
        return summary;
    }

    @Override
    public byte[] publicKey() {
        return keys.publicKey();
    }

    @Override
    public boolean isUnlocked() {
        return unlocked;
    }

    @Override
    public byte[] agree(byte[] peerPublicKey) throws IdentityException {
        requireUnlocked();
        try {
            return keys.agree(peerPublicKey);
        } catch (BadPeerKeyException e) {
            throw new IdentityException(IdentityException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    @Override
    public byte[] privateKey() throws IdentityException {
        requireUnlocked();
        return keys.privateKey();
    }

    @Override
    public byte[] storeKey() throws IdentityException {
        requireUnlocked();
        byte[] secret = keys.privateKey();
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    private void requireUnlocked() throws IdentityException {
        if (!unlocked) {
            throw new IdentityException(IdentityException.Reason.LOCKED, "locked");
        }
    }
}
