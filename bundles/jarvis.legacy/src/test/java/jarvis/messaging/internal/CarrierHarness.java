package jarvis.messaging.internal;

import jarvis.api.messaging.MessageCarrier;

/** Binds a carrier to a messenger wired without OSGi, as DS does. */
public final class CarrierHarness {

    private CarrierHarness() {
    }

    public static void bind(Messenger messenger, MessageCarrier carrier) {
        messenger.addCarrier(carrier);
    }
}
