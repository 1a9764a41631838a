package jarvis.session.internal;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import jarvis.api.ConnectionListener;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.session.PeerPayloadHandler;
import jarvis.api.transport.Transport;

/**
 * Lets the messaging tests drive a real session core: its DS bind methods and views are package-private, so
 * this class (on the test class path, in the core's package) opens them. Timings are short for tests.
 */
public final class SessionHarness {

    private static final Map<String, Object> TCP = Map.of(Transport.SCHEME_PROPERTY, "tcp",
            Transport.LISTEN_PROPERTY, "tcp://127.0.0.1:0");

    private SessionHarness() {
    }

    public static SessionCore core(ContactDirectory contacts) {
        return new SessionCore(new FastSettings(), contacts);
    }

    public static void bindTransport(SessionCore core, Transport transport) {
        core.bindTransport(transport, TCP);
    }

    public static void bindPayloadHandler(SessionCore core, PeerPayloadHandler handler, Map<String, Object> properties) {
        core.bindPayloadHandler(handler, properties);
    }

    public static void bindConnectionListener(SessionCore core, ConnectionListener listener) {
        core.bindConnectionListener(listener);
    }

    public static List<Endpoint> listening(SessionCore core) {
        return core.listeningEndpoints();
    }

    public static void stop(SessionCore core) {
        core.deactivate();
    }

    /** Keepalive 1 s, dead after 3 s, reconnect after 1 to 2 s. */
    private static final class FastSettings implements SessionCore.Config {
        @Override
        public int keepalive_seconds() {
            return 1;
        }

        @Override
        public int dead_seconds() {
            return 3;
        }

        @Override
        public int handshake_timeout_seconds() {
            return 2;
        }

        @Override
        public int backoff_initial_seconds() {
            return 1;
        }

        @Override
        public int backoff_max_seconds() {
            return 2;
        }

        @Override
        public int backoff_reset_seconds() {
            return 60;
        }

        @Override
        public String unknown_keys() {
            return "refuse";
        }

        @Override
        public int max_pending_handshakes() {
            return 64;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return SessionCore.Config.class;
        }
    }
}
