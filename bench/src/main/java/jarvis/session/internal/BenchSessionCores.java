package jarvis.session.internal;

import java.util.List;
import java.util.Map;

import jarvis.api.ConnectionListener;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.session.SecurityListener;
import jarvis.api.transport.Transport;

/**
 * Lets the session load tool (jarvis.bench.SessionLoad) wire a real {@link SessionCore} outside OSGi, as the
 * session tests' Daemon fixture does: the core's DS bind methods and views are package-private.
 */
public final class BenchSessionCores {

    private BenchSessionCores() {
    }

    public static void bindTransport(SessionCore core, Transport transport, String scheme, String listen) {
        core.bindTransport(transport, Map.of(Transport.SCHEME_PROPERTY, scheme, Transport.LISTEN_PROPERTY, listen));
    }

    public static void bindPayloadHandler(SessionCore core, PeerPayloadHandler handler) {
        core.bindPayloadHandler(handler, Map.of());
    }

    public static void bindConnectionListener(SessionCore core, ConnectionListener listener) {
        core.bindConnectionListener(listener);
    }

    public static void bindSecurityListener(SessionCore core, SecurityListener listener) {
        core.bindSecurityListener(listener);
    }

    public static List<Endpoint> listeningEndpoints(SessionCore core) {
        return core.listeningEndpoints();
    }

    public static int openWires(SessionCore core) {
        return core.openWires();
    }

    public static int pendingHandshakes(SessionCore core) {
        return core.pendingHandshakes();
    }

    public static void stop(SessionCore core) {
        core.deactivate();
    }
}
