package jarvis.session.internal;

import java.lang.annotation.Annotation;

/** The session core's configuration as DS would hand it over, short enough for tests unless a test changes it. */
final class TestSettings implements SessionCore.Config {

    int keepalive = 1;
    int dead = 3;
    int handshakeTimeout = 1;
    int backoffInitial = 1;
    int backoffMax = 2;
    int backoffReset = 60;
    String unknownKeys = "request";
    int maxPending = 256;

    TestSettings keepalive(int keepaliveSeconds, int deadSeconds) {
        keepalive = keepaliveSeconds;
        dead = deadSeconds;
        return this;
    }

    TestSettings backoff(int initial, int max) {
        backoffInitial = initial;
        backoffMax = max;
        return this;
    }

    TestSettings unknownKeys(String value) {
        unknownKeys = value;
        return this;
    }

    @Override
    public int keepalive_seconds() {
        return keepalive;
    }

    @Override
    public int dead_seconds() {
        return dead;
    }

    @Override
    public int handshake_timeout_seconds() {
        return handshakeTimeout;
    }

    @Override
    public int backoff_initial_seconds() {
        return backoffInitial;
    }

    @Override
    public int backoff_max_seconds() {
        return backoffMax;
    }

    @Override
    public int backoff_reset_seconds() {
        return backoffReset;
    }

    @Override
    public String unknown_keys() {
        return unknownKeys;
    }

    @Override
    public int max_pending_handshakes() {
        return maxPending;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return SessionCore.Config.class;
    }
}
