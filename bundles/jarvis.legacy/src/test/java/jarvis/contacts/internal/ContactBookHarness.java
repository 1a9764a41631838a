package jarvis.contacts.internal;

import jarvis.api.ContactListener;

/** Adds a listener to a contact book wired without OSGi, as DS does. */
public final class ContactBookHarness {

    private ContactBookHarness() {
    }

    public static void listen(ContactBook book, ContactListener listener) {
        book.addListener(listener);
    }
}
