package jarvis.transport.tcp.internal;

import java.lang.annotation.Annotation;

/** Copied from the session tests: lets the messaging tests start and stop real TCP transports; their lifecycle methods are package-private. */
public final class TcpForTests {

    private TcpForTests() {
    }

    public static TcpTransport start(int maxConnections) {
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
                return 120;
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
