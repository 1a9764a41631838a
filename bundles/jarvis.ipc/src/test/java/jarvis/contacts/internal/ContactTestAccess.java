package jarvis.contacts.internal;

import jarvis.api.ContactListener;

/** Binds a contact listener to the real {@link ContactBook} as DS would (its bind method is package-private). */
public final class ContactTestAccess {

    private ContactTestAccess() {
    }

    public static void addListener(ContactBook book, ContactListener listener) {
        book.addListener(listener);
    }

    public static void removeListener(ContactBook book, ContactListener listener) {
        book.removeListener(listener);
    }
}
