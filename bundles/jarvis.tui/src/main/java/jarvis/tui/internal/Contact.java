package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A contact as the UI shows it; the name has passed {@link SafeText} (peers choose their names).
 * {@code legacy}: the user allowed the Jarvis 1.x protocol with this contact, so messages may travel without
 * forward secrecy; the UI says so wherever it shows the contact (docs/legacy.md).
 */
public record Contact(String uid, String username, String publicKey, String fingerprint, List<String> endpoints,
        boolean verified, boolean keyChanged, boolean legacy) {

    /** How the UI names a contact that may be reached over the 1.x protocol. */
    public static final String LEGACY_LABEL = "legacy (no forward secrecy)";

    public Contact {
        endpoints = List.copyOf(endpoints);
    }

    public static Contact from(JsonNode c) {
        List<String> endpoints = new ArrayList<>();
        c.path("endpoints").forEach(e -> endpoints.add(SafeText.line(e.asText())));
        return new Contact(c.path("uid").asText(), SafeText.line(c.path("username").asText()),
                c.path("public_key").asText(), c.path("fingerprint").asText(), endpoints,
                c.path("verified").asBoolean(), c.path("key_changed").asBoolean(), c.path("legacy").asBoolean());
    }

    /** The fingerprint in groups of four, as people read it aloud. */
    public String groupedFingerprint() {
        return Fingerprints.grouped(fingerprint);
    }
}
