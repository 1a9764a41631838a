package jarvis.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link JarvisClient} behaves.
 *
 * @param requestTimeout   how long a request may wait for its answer
 * @param connectTimeout   how long connecting plus the hello exchange may take
 * @param reconnect        whether to reconnect by itself when the connection is lost
 * @param initialBackoff   the first wait before reconnecting; doubled after each failed attempt
 * @param maxBackoff       the longest wait between attempts
 * @param maxLineBytes     the longest line accepted from the daemon (a longer one drops the connection)
 */
public record ClientOptions(Duration requestTimeout, Duration connectTimeout, boolean reconnect,
        Duration initialBackoff, Duration maxBackoff, int maxLineBytes) {

    public ClientOptions {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (requestTimeout.isNegative() || requestTimeout.isZero() || connectTimeout.isNegative()
                || connectTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and maxBackoff >= initialBackoff");
        }
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024");
        }
    }

    /** 30 s per request, 5 s to connect, reconnect from 100 ms backing off to 5 s, lines up to 64 MiB. */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofSeconds(30), Duration.ofSeconds(5), true, Duration.ofMillis(100),
                Duration.ofSeconds(5), 64 * 1024 * 1024);
    }

    public ClientOptions withRequestTimeout(Duration value) {
        return new ClientOptions(value, connectTimeout, reconnect, initialBackoff, maxBackoff, maxLineBytes);
    }

    public ClientOptions withReconnect(boolean value) {
        return new ClientOptions(requestTimeout, connectTimeout, value, initialBackoff, maxBackoff, maxLineBytes);
    }

    public ClientOptions withBackoff(Duration initial, Duration max) {
        return new ClientOptions(requestTimeout, connectTimeout, reconnect, initial, max, maxLineBytes);
    }
}
