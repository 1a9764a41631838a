package jarvis.transport.tcp.internal;

import jarvis.api.Endpoint;
import jarvis.api.transport.Limits;

/**
 * The transport's configuration, checked once so that every link reads values that are known to be
 * sane. Invalid values are refused with a message naming the configuration key.
 */
record TcpSettings(Endpoint listen, int connectTimeoutSeconds, int maxFrameBytes, int writeQueueBytes,
        int idleTimeoutSeconds, int maxConnections) {

    /** Bytes of the length prefix in front of every frame. */
    static final int HEADER_BYTES = 4;
    /** Ceiling for max.frame.bytes: larger payloads are chunked above the transport, and a typo must not let peers force huge buffers. */
    static final int MAX_FRAME_CEILING = 16 * 1024 * 1024;
    static final int MAX_WRITE_QUEUE = 1024 * 1024 * 1024;

    TcpSettings {
        if (!"tcp".equals(listen.scheme())) {
            throw new IllegalArgumentException("transport.listen must be a tcp:// endpoint, not " + listen);
        }
        requireRange("connect.timeout.seconds", connectTimeoutSeconds, 1, 300);
        requireRange("max.frame.bytes", maxFrameBytes, Limits.PRE_AUTH_MAX_FRAME, MAX_FRAME_CEILING);
        // Room for the high water mark plus one whole frame, so a sender that respects isWritable() never hits the bound.
        requireRange("write.queue.bytes", writeQueueBytes, 2 * (maxFrameBytes + HEADER_BYTES), MAX_WRITE_QUEUE);
        requireRange("idle.timeout.seconds", idleTimeoutSeconds, 1, 86_400);
        requireRange("max.connections", maxConnections, 1, 1_000_000);
    }

    static TcpSettings from(TcpTransport.Config config) {
        Endpoint listen;
        try {
            listen = Endpoint.parse(config.transport_listen());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transport.listen: " + e.getMessage(), e);
        }
        return new TcpSettings(listen, config.connect_timeout_seconds(), config.max_frame_bytes(),
                config.write_queue_bytes(), config.idle_timeout_seconds(), config.max_connections());
    }

    /** Netty reports a link unwritable above this many queued bytes; one more frame still fits under the hard bound. */
    int highWaterMark() {
        return writeQueueBytes - (maxFrameBytes + HEADER_BYTES);
    }

    int lowWaterMark() {
        return highWaterMark() / 2;
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
