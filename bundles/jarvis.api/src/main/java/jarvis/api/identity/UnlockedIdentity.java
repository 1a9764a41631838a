package jarvis.api.identity;

import jarvis.api.IdentitySummary;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The key material of the local identity while it is unlocked. The handle stays valid until the identity is
 * locked or deleted; from then on every key operation throws {@link IdentityException} with reason
 * {@link IdentityException.Reason#LOCKED} (the keys have been wiped), so holders need not be told in time,
 * although {@link IdentityListener#identityLocked} tells them. A new unlock gives a new handle.
 *
 * <p>Secrets handed out are fresh copies: the caller wipes them ({@code Arrays.fill(key, (byte) 0)}) as soon
 * as it no longer needs them. Thread-safe.
 */
@ProviderType
public interface UnlockedIdentity {

    /** Length of every key this handle gives out, in bytes. */
    int KEY_LENGTH = 32;

    /** What may be shown about the identity (no key material); stays readable after lock. */
    IdentitySummary summary();

    /** A copy of the raw 32-byte X25519 public key. Public, so available even after lock. */
    byte[] publicKey();

    /** Whether the keys are still in memory. */
    boolean isUnlocked();

    /**
     * X25519 of the identity's private key with {@code peerPublicKey} (raw 32 bytes): the shared secret, which
     * the caller wipes. A low-order peer key (all-zero result) is refused.
     *
     * @throws IdentityException LOCKED after lock; INVALID_ARGUMENT for a key that is not 32 bytes or is of
     *                           low order
     */
    byte[] agree(byte[] peerPublicKey) throws IdentityException;

    /**
     * A copy of the raw 32-byte X25519 private key, for building a Noise static key pair. The caller wipes it
     * right after (the handshake keeps its own copy) and never stores or logs it.
     *
     * @throws IdentityException LOCKED after lock
     */
    byte[] privateKey() throws IdentityException;

    /**
     * The 32-byte data-at-rest key of the store (HKDF-SHA256 of the master key, info
     * {@code "jarvis/2 store key"}): stable for the life of the account, independent of the password, gone
     * with the account.
     *
     * @throws IdentityException LOCKED after lock
     */
    byte[] storeKey() throws IdentityException;
}
