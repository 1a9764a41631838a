package jarvis.api.identity;

import jarvis.api.IdentitySummary;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for the local identity's lifecycle: register it as a service and the identity bundle
 * calls it. Events arrive in the order the state changed, one at a time, never while the identity service
 * holds its own lock; a listener registered while the identity is unlocked is told so at once. Calls must
 * not block for long (open or close what depends on the keys and return); exceptions are logged and
 * ignored.
 */
@ConsumerType
public interface IdentityListener {

    /**
     * The identity was unlocked (or created or imported, which leaves it unlocked). The handle may already
     * be locked again when this arrives; its methods then say so.
     */
    void identityUnlocked(UnlockedIdentity identity);

    /** The identity was locked: its keys are already wiped; release whatever was derived from them. */
    void identityLocked(IdentitySummary identity);

    /**
     * The identity was deleted: its keys are destroyed and its files removed; delete what depended on it.
     * No separate {@link #identityLocked} comes first, even if it was unlocked.
     */
    void identityDeleted(IdentitySummary identity);
}
