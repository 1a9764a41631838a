package jarvis.ipc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.store.StoreException;
import jarvis.contacts.internal.ContactBook;
import jarvis.contacts.internal.ContactTestAccess;
import jarvis.identity.internal.IdentityManager;
import jarvis.identity.internal.IdentityTestAccess;
import jarvis.store.internal.H2Store;

/**
 * A daemon in the test's JVM, wired as DS wires the real bundles: the real identity component (cheap
 * Argon2), the real encrypted H2 store opened on unlock (as StoreKeeper does) with the real contact
 * book on it, and the IPC server under test bound to them and registered as their listener.
 */
final class TestDaemon implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";

    final Path data;
    final IdentityManager identity;
    final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();
    private final StoreWiring wiring = new StoreWiring();
    private volatile IpcServer server;

    TestDaemon(Path data) {
        this.data = data;
        this.identity = IdentityTestAccess.cheap(data);
        IdentityTestAccess.addListener(identity, wiring);
    }

    static IpcSettings settings() {
        return new IpcSettings(0, true, true, 1024 * 1024, 1024, 16L * 1024 * 1024, 2, 64, 10);
    }

    IpcServer start(IpcSettings settings) throws IOException {
        IpcServer s = new IpcServer(data, settings, "test", () -> shutdownRequested.complete(null));
        s.setIdentity(identity);
        server = s;
        wiring.attach(s);
        IdentityTestAccess.addListener(identity, s);
        return s;
    }

    IpcServer server() {
        return server;
    }

    /** Deactivates the IPC server as SCR would: listeners unbound first, then the component stopped. */
    void stopServer() {
        IpcServer s = server;
        if (s == null) {
            return;
        }
        IdentityTestAccess.removeListener(identity, s);
        wiring.detach(s);
        server = null;
        s.deactivate();
    }

    @Override
    public void close() {
        stopServer();
        identity.lock();
    }

    /** Opens the store and the contact book while unlocked, as StoreKeeper and DS do. */
    private final class StoreWiring implements IdentityListener {
        private H2Store store;
        private ContactBook book;
        private IpcServer attached;

        synchronized void attach(IpcServer s) {
            attached = s;
            if (book != null) {
                ContactTestAccess.addListener(book, s);
                s.setContacts(book);
            }
        }

        synchronized void detach(IpcServer s) {
            if (book != null) {
                ContactTestAccess.removeListener(book, s);
                s.unsetContacts(book);
            }
            attached = null;
        }

        @Override
        public synchronized void identityUnlocked(UnlockedIdentity keys) {
            byte[] key = null;
            try {
                key = keys.storeKey();
                store = H2Store.open(data.resolve("store"), key);
                book = new ContactBook(store);
                if (attached != null) {
                    ContactTestAccess.addListener(book, attached);
                    attached.setContacts(book);
                }
            } catch (IdentityException | StoreException e) {
                throw new IllegalStateException(e);
            } finally {
                if (key != null) {
                    Arrays.fill(key, (byte) 0);
                }
            }
        }

        @Override
        public synchronized void identityLocked(IdentitySummary summary) {
            closeStore();
        }

        @Override
        public synchronized void identityDeleted(IdentitySummary summary) {
            closeStore();
            try (Stream<Path> files = Files.walk(data.resolve("store"))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void closeStore() {
            if (book != null && attached != null) {
                attached.unsetContacts(book);
                ContactTestAccess.removeListener(book, attached);
            }
            book = null;
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }
}
