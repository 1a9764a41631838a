package jarvis.transport.tcp.internal;

import java.lang.annotation.Annotation;

/**
 * Lets the session load tool (jarvis.bench.SessionLoad) start and stop real TCP transports outside OSGi, as
 * the session tests' TcpForTests fixture does: the transport's deactivate method is package-private.
 */
public final class BenchTcp {

    private BenchTcp() {
    }

    /** A transport listening on 127.0.0.1 (any port) with the default frame and queue limits. */
    public static TcpTransport start(int maxConnections, int idleTimeoutSeconds) {
        return new TcpTransport(new TcpTransport.Config() {
            @Override
            public String transport_listen() {
                return "tcp://127.0.0.1:0";
            }

            @Override
            public int connect_timeout_seconds() {
                return 5;
            }

            @Override
            public int max_frame_bytes() {
                return 1024 * 1024;
            }

            @Override
            public int write_queue_bytes() {
                return 4 * 1024 * 1024;
            }

            @Override
            public int idle_timeout_seconds() {
                return idleTimeoutSeconds;
            }

            @Override
            public int max_connections() {
                return maxConnections;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return TcpTransport.Config.class;
            }
        });
    }

    public static void stop(TcpTransport transport) {
        transport.deactivate();
    }
}
