package jarvis.groups.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jarvis.api.contacts.ContactDirectory;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.contacts.ContactService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;

/** The real group manager wired without OSGi, as DS does. */
public final class GroupsHarness {

    private GroupsHarness() {
    }

    /** A manager that knows us as {@code uid}, {@code name} with key {@code publicKeyHex}; resends after 1 s. */
    public static GroupManager start(Store store, PeerNetwork network, ContactService contactService,
            ContactDirectory contacts, String uid, String name, String publicKeyHex) throws StoreException {
        ContactInvite self = new ContactInvite(uid, name, publicKeyHex, List.of(), false);
        return new GroupManager(store, network, contactService, contacts, () -> Optional.of(self), Clock.systemUTC(),
                1_000);
    }

    public static void stop(GroupManager groups) {
        groups.deactivate();
    }
}
