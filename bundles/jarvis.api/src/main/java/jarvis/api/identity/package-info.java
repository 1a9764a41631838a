/**
 * The local identity (account) of the daemon: create, unlock, lock, change password, export, import and
 * delete it, and, while it is unlocked, reach its key material through {@link
 * jarvis.api.identity.UnlockedIdentity}. Bundles that keep secrets (the store, the session core) register an
 * {@link jarvis.api.identity.IdentityListener} to learn when keys arrive and when they are gone.
 *
 * <p>Nothing in this package ever returns or logs a password, and summaries never carry key material.
 */
@Export
@Version("1.0.0")
package jarvis.api.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
