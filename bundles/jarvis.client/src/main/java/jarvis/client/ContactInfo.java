package jarvis.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A contact as the daemon shows it.
 *
 * @param uid         32 lowercase hex
 * @param username    the name shown
 * @param publicKey   the peer's X25519 key, 64 lowercase hex
 * @param fingerprint SHA-256 of the key, 64 lowercase hex
 * @param endpoints   where the peer may be reached, e.g. {@code tcp://host:port}
 * @param verified    whether the user compared the fingerprint out of band
 * @param keyChanged  whether the peer presented a different key (messages are held)
 * @param legacy      whether the user allowed the Jarvis 1.x protocol with the contact (no forward secrecy)
 */
public record ContactInfo(String uid, String username, String publicKey, String fingerprint, List<String> endpoints,
        boolean verified, boolean keyChanged, boolean legacy) {

    public ContactInfo {
        endpoints = List.copyOf(endpoints);
    }

    static ContactInfo from(JsonNode contact) {
        List<String> endpoints = new ArrayList<>();
        contact.path("endpoints").forEach(e -> endpoints.add(e.asText()));
        return new ContactInfo(contact.path("uid").asText(), contact.path("username").asText(),
                contact.path("public_key").asText(), contact.path("fingerprint").asText(), endpoints,
                contact.path("verified").asBoolean(), contact.path("key_changed").asBoolean(),
                contact.path("legacy").asBoolean());
    }
}
