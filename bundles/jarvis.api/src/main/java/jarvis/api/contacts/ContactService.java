package jarvis.api.contacts;

import java.util.List;
import java.util.Optional;

import jarvis.api.Contact;
import jarvis.api.Endpoint;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The user's contact list: add, rename, edit endpoints, verify, remove, and answer contact
 * requests. Available while the identity is unlocked (the list lives in the encrypted store).
 */
@ProviderType
public interface ContactService {

    /**
     * Adds a contact by its key. The fingerprint is computed from the key, never taken on trust.
     *
     * @param publicKeyHex the X25519 key, 64 lowercase hex
     * @throws ContactException if the uid or the key is already a contact, or a field is invalid
     */
    Contact add(String uid, String username, String publicKeyHex, List<Endpoint> endpoints) throws ContactException;

    /** All contacts, by username. */
    List<Contact> list() throws ContactException;

    /** A contact by uid, or by username when exactly one contact has it. */
    Optional<Contact> find(String uidOrUsername) throws ContactException;

    Contact rename(String uid, String username) throws ContactException;

    Contact setEndpoints(String uid, List<Endpoint> endpoints) throws ContactException;

    /**
     * Marks the fingerprint as compared out of band; also clears a key-change flag after the user
     * has checked the new key.
     */
    Contact verify(String uid) throws ContactException;

    void remove(String uid) throws ContactException;

    /** Inbound requests from keys we do not know, newest first. */
    List<ContactRequest> requests() throws ContactException;

    /** Makes a request's peer a contact (not yet verified). */
    Contact accept(String publicKeyHex) throws ContactException;

    /** Drops a request; the peer may ask again. */
    void reject(String publicKeyHex) throws ContactException;
}
