package jarvis.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactService;
import jarvis.api.feature.FeatureService;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityState;
import jarvis.api.messaging.MessageCarrier;
import jarvis.api.store.Store;
import jarvis.crypto.X25519KeyPair;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Jarvis 1.x feature in a real Felix: not installed by default; installed at runtime from the console, it
 * answers a 1.x key exchange on its own port for a contact marked legacy (and the console labels the contact);
 * uninstalled, the port is closed and the bundle gone, the daemon untouched.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LegacyFeatureIT {

    private static final long WAIT_SECONDS = 30;
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @Inject
    private BundleContext context;

    @Inject
    private FeatureService features;

    @Inject
    private IdentityService identity;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerSetup.options(ContainerSetup.newDirectory("data"), ContainerSetup.newDirectory("plugins"));
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertNotNull(type.getSimpleName() + " did not appear", service);
            return service;
        } finally {
            tracker.close();
        }
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            if (result != null) {
                print.println(session.format(result, org.apache.felix.service.command.Converter.INSPECT));
            }
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Test
    public void legacyFeatureIsOptionalInstallsFromTheConsoleSpeaks1xAndUninstallsCleanly() throws Exception {
        if (identity.status().state() == IdentityState.NONE) {
            identity.create("itest", PASSWORD.clone());
        }
        await(Store.class);
        assertTrue("jarvis-legacy is shipped", features.features().stream()
                .anyMatch(f -> f.name().equals("jarvis-legacy") && !f.installed()));
        assertTrue("not installed by default", bundle("jarvis.legacy").isEmpty());

        int port = freePort();
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("enabled", true);
        settings.put("listen.address", "127.0.0.1");
        settings.put("listen.port", port);
        configAdmin.getConfiguration("jarvis.legacy", "?").update(settings);

        X25519KeyPair peerKeys = X25519KeyPair.generate(new SecureRandom());
        String peerUid = "0123456789abcdef0123456789abcdef";
        ContactService contacts = await(ContactService.class);
        contacts.add(peerUid, "py1x", HexFormat.of().formatHex(peerKeys.publicKey()),
                List.of(Endpoint.tcp("127.0.0.1", 9)));
        String answer = run("jarvis:legacy py1x on");
        assertTrue(answer, answer.contains("Jarvis 1.x allowed with py1x"));
        Contact marked = contacts.find(peerUid).orElseThrow();
        assertTrue(marked.legacy());
        String listed = run("jarvis:contacts");
        assertTrue(listed, listed.contains("py1x [legacy]"));

        String installed = run("feature:install jarvis-legacy");
        assertTrue(installed, installed.contains("feature jarvis-legacy installed"));
        assertEquals(Bundle.ACTIVE, bundle("jarvis.legacy").orElseThrow().getState());
        await(MessageCarrier.class);

        // A 1.x key exchange from the contact's key is answered with the daemon's own key.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            socket.getOutputStream().write(ByteBuffer.allocate(36).putInt(32).put(peerKeys.publicKey()).array());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(32, in.readInt());
            byte[] daemonKey = in.readNBytes(32);
            assertArrayEquals(identity.unlocked().orElseThrow().publicKey(), daemonKey);
        }

        String removed = run("feature:uninstall jarvis-legacy");
        assertTrue(removed, removed.contains("jarvis-legacy"));
        assertTrue("the bundle left behind", bundle("jarvis.legacy").isEmpty());
        assertTrue(context.getServiceReference(MessageCarrier.class) == null);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            fail("the 1.x port is still open after uninstall");
        } catch (ConnectException expected) {
            // Closed with the bundle.
        }
        assertFalse(features.features().stream().anyMatch(f -> f.name().equals("jarvis-legacy") && f.installed()));
        assertEquals(IdentityState.UNLOCKED, identity.status().state());
        assertTrue(contacts.find(peerUid).orElseThrow().legacy());
    }
}
