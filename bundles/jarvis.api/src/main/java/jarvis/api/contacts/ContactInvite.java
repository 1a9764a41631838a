package jarvis.api.contacts;

import java.util.List;
import java.util.Objects;

import jarvis.api.Endpoint;
import jarvis.api.Ids;

/**
 * What a link code or a contact card says about a peer, after parsing and checking.
 *
 * @param uid       the peer's uid
 * @param username  the name it gave
 * @param publicKey its X25519 key, 64 lowercase hex
 * @param endpoints where it says it can be reached (may be empty)
 * @param legacy    whether it came from a Jarvis 1.x code or card (no forward secrecy with 1.x peers)
 */
public record ContactInvite(String uid, String username, String publicKey, List<Endpoint> endpoints, boolean legacy) {

    public ContactInvite {
        if (!Ids.isUid(uid)) {
            throw new IllegalArgumentException("uid must be 32 lowercase hex characters");
        }
        Objects.requireNonNull(username, "username");
        if (!Ids.isPublicKey(publicKey)) {
            throw new IllegalArgumentException("public key must be 64 lowercase hex characters");
        }
        endpoints = List.copyOf(endpoints);
    }
}
