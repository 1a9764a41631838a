package jarvis.api;

import java.util.List;
import java.util.Objects;

/**
 * A peer we know by its key.
 *
 * @param uid         the peer's uid
 * @param username    the name shown for the peer (the user may rename it)
 * @param fingerprint SHA-256 of the peer's public key, 64 lowercase hex
 * @param publicKey   the peer's X25519 identity key, 64 lowercase hex (a dialer needs it for the
 *                    Noise IK handshake; the fingerprint alone is not enough)
 * @param endpoints   where the peer may be reached, in order of preference; may be empty
 * @param verified    whether the user has compared the fingerprint out of band
 * @param keyChanged  whether the peer presented a different key than the stored one; messages are
 *                    held until the user re-verifies
 * @param legacy      whether the user allowed the Jarvis 1.x protocol with this peer (weaker: no forward
 *                    secrecy); frontends label such a contact "legacy (no forward secrecy)"
 */
public record Contact(String uid, String username, String fingerprint, String publicKey, List<Endpoint> endpoints,
        boolean verified, boolean keyChanged, boolean legacy) {

    public Contact {
        Ids.requireUid(uid);
        Objects.requireNonNull(username, "username");
        Ids.requireFingerprint(fingerprint);
        Ids.requirePublicKey(publicKey);
        endpoints = List.copyOf(endpoints);
    }

    /** A contact that speaks jarvis/2 only. */
    public Contact(String uid, String username, String fingerprint, String publicKey, List<Endpoint> endpoints,
            boolean verified, boolean keyChanged) {
        this(uid, username, fingerprint, publicKey, endpoints, verified, keyChanged, false);
    }
}
