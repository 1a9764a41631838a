package jarvis.api.contacts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jarvis.api.Endpoint;

/**
 * A peer that completed a handshake with a key we do not know.
 *
 * @param uid        the uid it claims
 * @param username   the name it gave
 * @param publicKey  the key it proved it holds, 64 lowercase hex
 * @param endpoints  where it says it can be reached
 * @param receivedAt when
 */
public record ContactRequest(String uid, String username, String publicKey, List<Endpoint> endpoints,
        Instant receivedAt) {

    public ContactRequest {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(publicKey, "publicKey");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
