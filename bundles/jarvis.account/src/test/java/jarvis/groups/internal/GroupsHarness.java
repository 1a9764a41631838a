package jarvis.groups.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jarvis.api.contacts.ContactInvite;
import jarvis.api.groups.GroupListener;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.contacts.internal.ContactBook;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import jarvis.session.internal.SessionCore;
import jarvis.session.internal.SessionHarness;

/** The real group manager wired without OSGi. */
public final class GroupsHarness {

    private GroupsHarness() {
    }

    public static GroupManager start(Store store, SessionCore core, ContactBook contacts,
            Supplier<Optional<ContactInvite>> self, GroupListener listener) throws StoreException {
        GroupManager groups = new GroupManager(store, core, contacts, contacts, self, Clock.systemUTC(), 1_000);
        groups.addListener(listener);
        SessionHarness.bindPayloadHandler(core, groups, Map.of(PeerPayloadHandler.CONTENT_TYPES,
                new Integer[] {GroupWire.STATE, GroupWire.RESPONSE, GroupWire.RECEIPT}));
        SessionHarness.bindConnectionListener(core, groups);
        return groups;
    }

    public static void stop(GroupManager groups) {
        groups.deactivate();
    }
}
