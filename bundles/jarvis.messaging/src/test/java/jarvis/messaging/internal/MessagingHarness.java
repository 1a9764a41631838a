package jarvis.messaging.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.groups.GroupService;
import jarvis.api.session.PeerNetwork;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;

/** Messaging wired without OSGi, for the tests of other modules (the groups bundle runs it with real groups). */
public final class MessagingHarness {

    /** The content types messaging handles, as the service property says. */
    public static final Map<String, Object> HANDLER_PROPERTIES = Node.HANDLER_PROPERTIES;

    private MessagingHarness() {
    }

    /** A messenger with read receipts on, resending after {@code resend}, ordering hold of a minute. */
    public static Messenger start(Store store, PeerNetwork network, ContactDirectory contacts, String selfUid,
            Duration resend) throws StoreException {
        Messenger.Settings settings = new Messenger.Settings(true, Duration.ofDays(30).toMillis(), resend.toMillis(),
                60_000);
        return new Messenger(settings, store, network, contacts, () -> Optional.of(selfUid), Clock.systemUTC());
    }

    public static void bindGroups(Messenger messenger, GroupService groups) {
        messenger.groups = () -> Optional.of(groups);
    }

    public static void addListener(Messenger messenger, MessageListener listener) {
        messenger.addMessageListener(listener);
    }

    public static void stop(Messenger messenger) {
        messenger.deactivate();
    }

    /** Keeps the handler property type visible to callers binding the messenger to a session core. */
    public static PeerPayloadHandler handler(Messenger messenger) {
        return messenger;
    }
}
