package jarvis.api.service;

import java.util.Optional;

import org.osgi.service.component.ComponentServiceObjects;

/**
 * A service a component binds as {@link ComponentServiceObjects} and fetches on first use instead of at bind
 * time. Whiteboards need this: fetching a listener while binding it activates the listener from inside the
 * binding component's own activation, and as listeners (messaging, groups, the IPC server) depend on the
 * services that call them, SCR meets a cycle and leaves the listener out for good. At first use no activation
 * is in progress on the calling thread.
 */
public final class LazyService<T> {

    private final ComponentServiceObjects<T> objects;
    private T service;

    public LazyService(ComponentServiceObjects<T> objects) {
        this.objects = objects;
    }

    /**
     * The service, fetched on the first call. Empty when it cannot be had right now (it failed to activate, or
     * was unbound meanwhile); the next call tries again.
     */
    public synchronized Optional<T> get() {
        if (service == null) {
            try {
                service = objects.getService();
            } catch (IllegalStateException unbound) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(service);
    }

    /** Gives the fetched service back; call it when the reference is unbound. */
    public synchronized void release() {
        if (service != null) {
            T s = service;
            service = null;
            try {
                objects.ungetService(s);
            } catch (IllegalStateException | IllegalArgumentException gone) {
                // The component is already being deactivated: SCR releases it itself.
            }
        }
    }
}
