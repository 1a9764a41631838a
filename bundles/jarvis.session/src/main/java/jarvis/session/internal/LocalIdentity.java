package jarvis.session.internal;

import java.util.HexFormat;

import jarvis.crypto.X25519KeyPair;

/** The unlocked local identity as the session core holds it: who we are and the Noise static key pair. */
final class LocalIdentity {

    final String uid;
    final String username;
    final X25519KeyPair staticKey;
    final byte[] publicKey;
    final String publicKeyHex;

    LocalIdentity(String uid, String username, X25519KeyPair staticKey) {
        this.uid = uid;
        this.username = username;
        this.staticKey = staticKey;
        this.publicKey = staticKey.publicKey();
        this.publicKeyHex = HexFormat.of().formatHex(publicKey);
    }

    void destroy() {
        staticKey.destroy();
    }
}
