package jarvis.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.BadPeerKeyException;
import jarvis.crypto.X25519KeyPair;

/** An unlocked identity backed by an X25519 key pair, without files or passwords (after the session tests' fixture). */
final class BenchIdentity implements UnlockedIdentity {

    private final X25519KeyPair keys;
    private final IdentitySummary summary;

    BenchIdentity(String uid, String username, X25519KeyPair keys) {
        this.keys = keys;
        this.summary = new IdentitySummary(uid, username, keys.fingerprint().hex(), Instant.now(), true);
    }

    String uid() {
        return summary.uid();
    }

    String publicKeyHex() {
        return HexFormat.of().formatHex(keys.publicKey());
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
        return true;
    }

    @Override
    public byte[] agree(byte[] peerPublicKey) throws IdentityException {
        try {
            return keys.agree(peerPublicKey);
        } catch (BadPeerKeyException e) {
            throw new IdentityException(IdentityException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    @Override
    public byte[] privateKey() {
        return keys.privateKey();
    }

    @Override
    public byte[] storeKey() {
        byte[] secret = keys.privateKey();
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
