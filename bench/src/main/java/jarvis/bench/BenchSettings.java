package jarvis.bench;

import java.lang.annotation.Annotation;

import jarvis.session.internal.SessionCore;

/** The session core's configuration as DS would hand it over: the defaults, with the values the tool changes. */
final class BenchSettings implements SessionCore.Config {

    int keepalive = 30;
    int dead = 90;
    int handshakeTimeout = 10;
    int maxPending = 256;

    BenchSettings keepalive(int keepaliveSeconds, int deadSeconds) {
        keepalive = keepaliveSeconds;
        dead = deadSeconds;
        return this;
    }

    BenchSettings maxPending(int value) {
        maxPending = value;
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
        return 1;
    }

    @Override
    public int backoff_max_seconds() {
        return 300;
    }

    @Override
    public int backoff_reset_seconds() {
        return 60;
    }

    @Override
    public String unknown_keys() {
        return "request";
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
