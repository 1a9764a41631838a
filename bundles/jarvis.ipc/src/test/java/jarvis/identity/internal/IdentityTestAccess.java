package jarvis.identity.internal;

import java.nio.file.Path;
import java.security.SecureRandom;

import jarvis.api.identity.IdentityListener;
import jarvis.crypto.Argon2id;

/**
 * Reaches the identity component's package-private test hooks from the IPC tests: the real
 * {@link IdentityManager} at a cheap Argon2 cost, and listener binding as DS would do it.
 */
public final class IdentityTestAccess {

    private IdentityTestAccess() {
    }

    public static IdentityManager cheap(Path dataDir) {
        return new IdentityManager(dataDir, Argon2id.Cost.of(256, 1, 1), new SecureRandom());
    }

    public static void addListener(IdentityManager identity, IdentityListener listener) {
        identity.addListener(listener);
    }

    public static void removeListener(IdentityManager identity, IdentityListener listener) {
        identity.removeListener(listener);
    }
}
