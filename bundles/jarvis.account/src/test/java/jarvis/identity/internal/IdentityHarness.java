package jarvis.identity.internal;

import java.nio.file.Path;
import java.security.SecureRandom;

import jarvis.api.identity.IdentityListener;
import jarvis.crypto.Argon2id;

/** The real identity service without OSGi, at a low Argon2id cost for new files (tests only). */
public final class IdentityHarness {

    /** Fast enough for tests, still a real Argon2id. */
    public static final Argon2id.Cost TEST_COST = Argon2id.Cost.of(1024, 1, 1);

    private IdentityHarness() {
    }

    public static IdentityManager open(Path dataDir) {
        return new IdentityManager(dataDir, TEST_COST, new SecureRandom());
    }

    public static void listen(IdentityManager identity, IdentityListener listener) {
        identity.addListener(listener);
    }
}
