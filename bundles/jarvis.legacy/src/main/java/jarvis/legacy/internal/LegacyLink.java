package jarvis.legacy.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jarvis.crypto.CryptoException;
import jarvis.crypto.LegacyJarvis1Crypto;

/**
 * One authenticated 1.x connection with a contact, after the key exchange and handshake. Reads frames on a
 * thread of its own, every read bounded (frame length, idle timeout); writes go through a bounded queue on one
 * writer thread, so a slow peer never blocks messaging. A link we dialed is trusted for sending at once; one the
 * peer dialed only after a message from it decrypted (1.x has no key confirmation: anyone who knows a contact's
 * public key can claim to be it, but cannot produce a message that decrypts).
 */
final class LegacyLink {

    /** What the link reports to the network. */
    interface Events {
        /** A message that decrypted and is not a replay. */
        void message(LegacyLink link, Payloads.Text text, String plaintext);

        void trusted(LegacyLink link);

        void closed(LegacyLink link, String reason);
    }

    private static final System.Logger LOG = System.getLogger(LegacyLink.class.getName());
    static final int WRITE_QUEUE = 256;

    final String contactUid;
    final boolean dialed;
    private volatile boolean trusted;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final LegacyJarvis1Crypto.LayerKeys keys;
    private final Settings settings;
    private final ReplayGuard replays;
    private final Events events;
    private final ThreadPoolExecutor writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    LegacyLink(String contactUid, boolean dialed, Socket socket, DataInputStream in,
            LegacyJarvis1Crypto.LayerKeys keys, Settings settings, ReplayGuard replays, Events events,
            ThreadFactory threads) throws IOException {
        this.contactUid = contactUid;
        this.dialed = dialed;
        this.trusted = dialed;
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.keys = keys;
        this.settings = settings;
        this.replays = replays;
        this.events = events;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WRITE_QUEUE),
                threads);
        socket.setSoTimeout((int) settings.idleTimeoutMillis());
    }

    boolean trusted() {
        return trusted && !closed.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    LegacyJarvis1Crypto.LayerKeys keys() {
        return keys;
    }

    /** Queues a frame; completes once it is written and flushed to the socket. */
    CompletableFuture<Void> write(Frame frame) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed.get()) {
            done.completeExceptionally(new IOException("the 1.x link to " + contactUid + " is closed"));
            return done;
        }
        try {
            writer.execute(() -> {
                try {
                    byte[] bytes = frame.encode();
                    out.write(bytes);
                    out.flush();
                    settings.transcript().frame(contactUid, true, frame.type(), frame.payload().length);
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                    close("write failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IOException("the 1.x link to " + contactUid + " is busy or closed"));
        }
        return done;
    }

    /** The read loop; runs until the link closes. */
    void run() {
        String reason = "closed by the peer";
        try {
            while (!closed.get()) {
                Frame f = Frame.read(in, settings.maxFrameBytes());
                settings.transcript().frame(contactUid, false, f.type(), f.payload().length);
                if (!handle(f)) {
                    reason = "the peer said DISCONNECT";
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            reason = "nothing heard for " + settings.idleTimeoutMillis() / 1000 + " s";
        } catch (EOFException e) {
            reason = "closed by the peer";
        } catch (IOException e) {
            reason = closed.get() ? "closed here" : "read failed: " + e.getMessage();
        } catch (ProtocolViolation e) {
            reason = "protocol violation: " + e.getMessage();
            settings.transcript().refused(contactUid, e.getMessage());
        } finally {
            close(reason);
        }
    }

    /** Acts on one frame; false to close. */
    private boolean handle(Frame f) throws ProtocolViolation {
        switch (f.type()) {
            case FrameType.PING -> write(new Frame(FrameType.PONG, Payloads.EMPTY));
            case FrameType.PONG -> {
                // Any frame read resets the idle timeout; a PONG needs nothing more.
            }
            case FrameType.DISCONNECT -> {
                return false;
            }
            case FrameType.TEXT_MESSAGE, FrameType.GROUP_MESSAGE -> message(f);
            default -> LOG.log(System.Logger.Level.DEBUG, "skipped a 1.x frame of " + FrameType.name(f.type())
                    + " from " + contactUid);
        }
        return true;
    }

    private void message(Frame f) {
        Payloads.Text text;
        LegacyJarvis1Crypto.MessageEnvelope envelope;
        String plaintext;
        try {
            text = Payloads.readText(f.payload(), f.type() == FrameType.GROUP_MESSAGE);
            envelope = LegacyJarvis1Crypto.MessageEnvelope.fromJson(text.encryptedJson());
            plaintext = LegacyJarvis1Crypto.decryptMessage(keys, envelope);
        } catch (ProtocolViolation | CryptoException e) {
            // Only what decrypts under the contact's key counts; the rest is dropped, the link kept.
            settings.transcript().dropped(contactUid, FrameType.name(f.type()) + ": " + e.getMessage());
            return;
        }
        if (!replays.firstTime(contactUid, text.messageId(), envelope.ciphertext())) {
            settings.transcript().dropped(contactUid, FrameType.name(f.type()) + " " + text.messageId()
                    + ": replayed (id or ciphertext seen before)");
            return;
        }
        if (!trusted) {
            trusted = true;
            events.trusted(this);
        }
        events.message(this, text, plaintext);
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.shutdown();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a 1.x socket: " + e.getMessage());
        }
        events.closed(this, reason);
    }

    @Override
    public String toString() {
        return "1.x link " + (dialed ? "to " : "from ") + contactUid;
    }
}
