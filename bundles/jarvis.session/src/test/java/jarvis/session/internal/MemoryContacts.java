package jarvis.session.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.Contact;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.contacts.ContactRequest;

/** A contact directory in memory, recording the contact requests it receives. */
public final class MemoryContacts implements ContactDirectory {

    private final Map<String, Contact> byUid = new ConcurrentHashMap<>();
    final List<ContactRequest> requests = new CopyOnWriteArrayList<>();

    public void put(Contact contact) {
        byUid.put(contact.uid(), contact);
    }

    public void remove(String uid) {
        byUid.remove(uid);
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
        return byUid.values().stream().filter(c -> c.publicKey().equals(publicKeyHex)).findFirst();
    }

    @Override
    public void contactRequested(ContactRequest request) {
        requests.add(request);
    }
}
