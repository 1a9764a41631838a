package jarvis.api.contacts;

import java.util.List;
import java.util.Optional;

import jarvis.api.Contact;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who we know: the session core gives sessions only to these keys. Changes are announced to
 * {@link jarvis.api.ContactListener} services.
 */
@ProviderType
public interface ContactDirectory {

    List<Contact> contacts();

    Optional<Contact> byUid(String uid);

    Optional<Contact> byPublicKey(String publicKeyHex);

    /**
     * Records an inbound request from a key we do not know (it proved it holds the key). Stored and
     * visible to the user; nothing is routed until the user accepts it. Repeated requests from the
     * same key update the stored one.
     */
    void contactRequested(ContactRequest request);
}
