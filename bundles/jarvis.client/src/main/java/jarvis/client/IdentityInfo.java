package jarvis.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The local identity as the daemon shows it (never key material beyond the public key).
 *
 * @param uid         32 lowercase hex
 * @param username    the account's name
 * @param fingerprint SHA-256 of the public key, 64 lowercase hex
 * @param createdAt   ISO-8601 instant
 * @param unlocked    whether the keys are in memory
 */
public record IdentityInfo(String uid, String username, String fingerprint, String createdAt, boolean unlocked) {

    static IdentityInfo from(JsonNode identity) {
        return new IdentityInfo(identity.path("uid").asText(), identity.path("username").asText(),
                identity.path("fingerprint").asText(), identity.path("created_at").asText(),
                identity.path("unlocked").asBoolean());
    }
}
