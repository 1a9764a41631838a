package jarvis.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jarvis.api.Contact;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.contacts.ContactRequest;

/**
 * A contact directory in memory, indexed by uid and by public key (a daemon with 10,000 contacts looks one up
 * per handshake; the real directory answers from its own index).
 */
final class MapContacts implements ContactDirectory {

    private final Map<String, Contact> byUid = new ConcurrentHashMap<>();
    private final Map<String, Contact> byKey = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();

    void put(Contact contact) {
        byUid.put(contact.uid(), contact);
        byKey.put(contact.publicKey(), contact);
    }

    @Override
    public List<Contact> contacts() {
        return List.copyOf(byUid.values());
    }

    @Override
    public Optional<Contact> byUid(String uid) {
        return uid == null ? Optional.empty() : Optional.ofNullable(byUid.get(uid));
    }

    @Override
    public Optional<Contact> byPublicKey(String publicKeyHex) {
        return publicKeyHex == null ? Optional.empty() : Optional.ofNullable(byKey.get(publicKeyHex));
    }

    @Override
    public void contactRequested(ContactRequest request) {
        requests.incrementAndGet();
    }
}
