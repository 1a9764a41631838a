package jarvis.identity.internal;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.crypto.BadPeerKeyException;
import jarvis.crypto.Secrets;
import jarvis.crypto.X25519KeyPair;

/**
 * The keys of one unlock. A read-write lock keeps {@link #destroy()} from wiping a key while an operation is
 * using it, so a caller racing with lock gets either a correct result or "identity is locked", never a
 * result computed from a half-wiped key.
 */
final class UnlockedKeys implements UnlockedIdentity {

    private final IdentityRecord record;
    private final byte[] storeKey;
    private final byte[] publicKey;
    private final ReadWriteLock guard = new ReentrantReadWriteLock();
    private boolean destroyed;

    /** Takes ownership of {@code record} and {@code storeKey}; both are wiped by {@link #destroy()}. */
    UnlockedKeys(IdentityRecord record, byte[] storeKey) {
        this.record = record;
        this.storeKey = storeKey;
        this.publicKey = record.keyPair().publicKey();
    }

    @Override
    public IdentitySummary summary() {
        return record.summary(isUnlocked());
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean isUnlocked() {
        guard.readLock().lock();
        try {
            return !destroyed;
        } finally {
            guard.readLock().unlock();
        }
    }

    @Override
    public byte[] agree(byte[] peerPublicKey) throws IdentityException {
        guard.readLock().lock();
        try {
            checkUnlocked();
            return record.keyPair().agree(peerPublicKey);
        } catch (BadPeerKeyException e) {
            throw Failures.invalid(e.getMessage());
        } finally {
            guard.readLock().unlock();
        }
    }

    @Override
    public byte[] privateKey() throws IdentityException {
        guard.readLock().lock();
        try {
            checkUnlocked();
            return record.keyPair().privateKey();
        } finally {
            guard.readLock().unlock();
        }
    }

    @Override
    public byte[] storeKey() throws IdentityException {
        guard.readLock().lock();
        try {
            checkUnlocked();
            return storeKey.clone();
        } finally {
            guard.readLock().unlock();
        }
    }

    String uid() {
        return record.uid();
    }

    /** Wipes the private and store keys; every later key operation reports "identity is locked". */
    void destroy() {
        guard.writeLock().lock();
        try {
            destroyed = true;
            record.destroy();
            Secrets.wipe(storeKey);
        } finally {
            guard.writeLock().unlock();
        }
    }

    private void checkUnlocked() throws IdentityException {
        if (destroyed) {
            throw Failures.locked();
        }
    }

    @Override
    public String toString() {
        return "UnlockedIdentity[" + record.uid() + (isUnlocked() ? "" : ", locked") + "]";
    }
}
