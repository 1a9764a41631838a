package jarvis.session.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.session.PeerPayloadHandler;

/** Hands application payloads to the {@link PeerPayloadHandler}s that asked for their content type. */
final class PayloadRouter {

    private static final System.Logger LOG = System.getLogger(PayloadRouter.class.getName());

    private record Route(PeerPayloadHandler handler, Set<Integer> types) {
        boolean wants(int type) {
            return types == null || types.contains(type);
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    void add(PeerPayloadHandler handler, Map<String, ?> properties) {
        routes.add(new Route(handler, contentTypes(properties.get(PeerPayloadHandler.CONTENT_TYPES))));
    }

    void update(PeerPayloadHandler handler, Map<String, ?> properties) {
        Set<Integer> types = contentTypes(properties.get(PeerPayloadHandler.CONTENT_TYPES));
        routes.replaceAll(r -> r.handler == handler ? new Route(handler, types) : r);
    }

    void remove(PeerPayloadHandler handler) {
        routes.removeIf(r -> r.handler == handler);
    }

    /** Called on the session thread, so calls for one contact are in order and never concurrent. */
    void deliver(String contactUid, int type, byte[] payload) {
        boolean first = true;
        for (Route route : routes) {
            if (!route.wants(type)) {
                continue;
            }
            try {
                // Each handler gets its own array, so one cannot change what the next one sees.
                route.handler.received(contactUid, type, first ? payload : payload.clone());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "payload handler " + route.handler + " failed", e);
            }
            first = false;
        }
    }

    /** Integer, Integer[], int[], a collection of numbers or "16,17"; absent means every type. */
    static Set<Integer> contentTypes(Object value) {
        if (value == null) {
            return null;
        }
        Set<Integer> types = new HashSet<>();
        if (value instanceof Number n) {
            types.add(n.intValue());
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                types.addAll(contentTypes(o));
            }
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                types.addAll(contentTypes(Array.get(value, i)));
            }
        } else {
            for (String part : value.toString().split(",")) {
                if (!part.isBlank()) {
                    types.add(Integer.parseInt(part.trim()));
                }
            }
        }
        return Set.copyOf(types);
    }
}
