package jarvis.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What may be shown about the local identity without unlocking secrets: never key material.
 *
 * @param uid         32 lowercase hex characters, random, stable for the life of the account
 * @param username    the name chosen by the user
 * @param fingerprint SHA-256 of the public key, 64 lowercase hex characters
 * @param createdAt   creation time (UTC)
 * @param unlocked    whether the identity's keys are currently in memory
 */
public record IdentitySummary(String uid, String username, String fingerprint, Instant createdAt, boolean unlocked) {

    public IdentitySummary {
        Ids.requireUid(uid);
        Objects.requireNonNull(username, "username");
        Ids.requireFingerprint(fingerprint);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
