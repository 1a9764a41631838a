package jarvis.transport.tcp.internal;

import java.lang.annotation.Annotation;

/** The transport's configuration as DS would hand it over, with the defaults unless a test changes one. */
final class TestConfig implements TcpTransport.Config {

    String listen = "tcp://127.0.0.1:5000";
    int connectTimeoutSeconds = 10;
    int maxFrameBytes = 1024 * 1024;
    int writeQueueBytes = 4 * 1024 * 1024;
    int idleTimeoutSeconds = 120;
    int maxConnections = 512;

    TestConfig listen(String value) {
        listen = value;
        return this;
    }

    TestConfig connectTimeoutSeconds(int value) {
        connectTimeoutSeconds = value;
        return this;
    }

    TestConfig maxFrameBytes(int value) {
        maxFrameBytes = value;
        return this;
    }

    TestConfig writeQueueBytes(int value) {
        writeQueueBytes = value;
        return this;
    }

    TestConfig idleTimeoutSeconds(int value) {
        idleTimeoutSeconds = value;
        return this;
    }

    TestConfig maxConnections(int value) {
        maxConnections = value;
        return this;
    }

    @Override
    public String transport_listen() {
        return listen;
    }

    @Override
    public int connect_timeout_seconds() {
        return connectTimeoutSeconds;
    }

    @Override
    public int max_frame_bytes() {
        return maxFrameBytes;
    }

    @Override
    public int write_queue_bytes() {
        return writeQueueBytes;
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
}
