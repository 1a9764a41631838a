package jarvis.contacts.internal;

import jarvis.api.ContactListener;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;

/** The real contact book wired without OSGi. */
public final class ContactsHarness {

    private ContactsHarness() {
    }

    public static ContactBook open(Store store) throws StoreException {
        return new ContactBook(store);
    }

    public static void listen(ContactBook book, ContactListener listener) {
        book.addListener(listener);
    }
}
