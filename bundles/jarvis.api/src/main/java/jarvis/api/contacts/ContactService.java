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

    /**
     * Allows or forbids the Jarvis 1.x protocol with this contact (kept in the store). A 1.x link has no
     * forward secrecy; jarvis/2 is still preferred whenever it is up.
     */
    Contact setLegacy(String uid, boolean legacy) throws ContactException;

    /** Inbound requests from keys we do not know, newest first. */
    List<ContactRequest> requests() throws ContactException;

    /**
     * Reads a link code: ours ({@code jarvis2:...}, with an integrity check) or a Jarvis 1.x
     * {@code jarvis://...} code (its fingerprint is recomputed from the key and must match; host
     * {@code localhost} means "no address").
     *
     * @throws ContactException naming what is wrong with the code
     */
    ContactInvite parseLinkCode(String code) throws ContactException;

    /** Adds the peer a link code describes (see {@link #parseLinkCode}). */
    Contact addFromLinkCode(String code) throws ContactException;

    /** Reads a contact card file (ours, or a Jarvis 1.x {@code .jcard}) and adds its peer. */
    Contact importCard(java.nio.file.Path file) throws ContactException;

    /** Our own link code: uid, name, key and the endpoints we advertise. */
    String ownLinkCode() throws ContactException;

    /** Writes our own contact card to a new file (never overwrites). */
    void writeOwnCard(java.nio.file.Path file) throws ContactException;

    /** Makes a request's peer a contact (not yet verified). */
    Contact accept(String publicKeyHex) throws ContactException;

    /** Drops a request; the peer may ask again. */
    void reject(String publicKeyHex) throws ContactException;
}
