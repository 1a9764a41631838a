package jarvis.session.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jarvis.api.Endpoint;

/**
 * Lets the messaging tests put the session tests' {@link Relay} (a man in the middle on 127.0.0.1) between two nodes
 * and make one fault happen on the next frame that crosses it: cut the connection, drop, duplicate or reorder a
 * frame. Each fault fires once, on whichever direction carries the next frame; the session layer must then close
 * the session (records are strictly in sequence) and reconnect.
 */
public final class FaultyPath implements AutoCloseable {

    /** One-shot faults. */
    public enum Fault { CUT, DROP, DUPLICATE, REORDER }

    private final Relay relay;
    private final AtomicReference<Fault> pending = new AtomicReference<>();
    /** A frame held back by REORDER, per direction (index 0: from the dialer). */
    private final byte[][] held = new byte[2][];

    public FaultyPath(Endpoint target) throws IOException {
        relay = new Relay(target);
        relay.tamper = this::tamper;
    }

    public Endpoint endpoint() {
        return relay.endpoint();
    }

    /** The fault to apply to the next frame; replaces one not yet applied. */
    public void inject(Fault fault) {
        pending.set(fault);
    }

    /** True once the injected fault has been applied (or none was injected). */
    public boolean applied() {
        return pending.get() == null;
    }

    private List<byte[]> tamper(boolean fromDialer, byte[] frame) {
        int side = fromDialer ? 0 : 1;
        synchronized (held) {
            if (held[side] != null) {
                byte[] first = held[side];
                held[side] = null;
                return List.of(frame, first);
            }
        }
        Fault fault = pending.getAndSet(null);
        if (fault == null) {
            return List.of(frame);
        }
        switch (fault) {
            case CUT:
                throw new IllegalStateException("path cut by the test");
            case DROP:
                return List.of();
            case DUPLICATE:
                return List.of(frame, frame);
            default:
                synchronized (held) {
                    held[side] = frame;
                }
                return List.of();
        }
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
