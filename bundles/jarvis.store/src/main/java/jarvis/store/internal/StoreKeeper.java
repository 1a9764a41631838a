package jarvis.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.stream.Stream;

import jarvis.api.IdentitySummary;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.UnlockedIdentity;
import jarvis.api.store.Store;
import jarvis.api.store.StoreException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Opens the account's database when the identity is unlocked and registers it as the
 * {@link Store} service; unregisters and closes it when the identity is locked, and deletes it
 * with the account. Components that need the data reference {@link Store} and so run exactly
 * while it is readable.
 */
@Component(service = IdentityListener.class, immediate = true)
public final class StoreKeeper implements IdentityListener {

    private static final System.Logger LOG = System.getLogger(StoreKeeper.class.getName());

    private final BundleContext context;
    private final Path dir;
    private H2Store store;
    private ServiceRegistration<Store> registration;

    @Activate
    public StoreKeeper(BundleContext context) {
        this.context = context;
        String data = context.getProperty("jarvis.data");
        if (data == null || data.isBlank()) {
            throw new IllegalStateException("framework property jarvis.data is not set; the launcher sets it");
        }
        this.dir = Paths.get(data, "store");
    }

    @Override
    public synchronized void identityUnlocked(UnlockedIdentity identity) {
        if (store != null) {
            return;
        }
        byte[] key = null;
        try {
            key = identity.storeKey();
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            store = H2Store.open(dir, key);
            registration = context.registerService(Store.class, store, new Hashtable<>());
            LOG.log(System.Logger.Level.INFO, "store opened");
        } catch (IdentityException e) {
            LOG.log(System.Logger.Level.WARNING, "identity locked again before the store could open");
        } catch (StoreException | IOException e) {
            LOG.log(System.Logger.Level.ERROR, "the store could not be opened: " + e.getMessage(), e);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    @Override
    public synchronized void identityLocked(IdentitySummary identity) {
        close();
    }

    @Override
    public synchronized void identityDeleted(IdentitySummary identity) {
        close();
        try {
            deleteFiles();
            LOG.log(System.Logger.Level.INFO, "store deleted with the account");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "the store files could not all be deleted: " + e.getMessage(), e);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        close();
    }

    private void close() {
        if (registration != null) {
            // Unregister first, so every user of the store lets go before the file closes.
            registration.unregister();
            registration = null;
        }
        if (store != null) {
            store.close();
            store = null;
            LOG.log(System.Logger.Level.INFO, "store closed");
        }
    }

    private void deleteFiles() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
