package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import jarvis.api.contacts.ContactService;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityState;
import jarvis.api.store.Store;
import org.osgi.util.tracker.ServiceTracker;
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
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration.ConfigurationAttribute;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The daemon's bundles in a real Felix container, set up from the built distribution. Generic on
 * purpose: every bundle and component added by a later feature is covered without new test code.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerIT {

    private static final long WAIT_SECONDS = 30;

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private FeatureService features;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerSetup.options(ContainerSetup.newDirectory("data"), ContainerSetup.newDirectory("plugins"));
    }

    @Inject
    private IdentityService identity;

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    /**
     * Every feature installed and the identity unlocked: the state in which every component must
     * be satisfied (some, like the contact list, only exist while the encrypted store is open).
     */
    private void installEveryFeature() throws Exception {
        for (Feature f : features.features()) {
            if (!f.installed()) {
                features.install(f.name());
            }
        }
        unlock();
    }

    private void unlock() throws Exception {
        IdentityState state = identity.status().state();
        if (state == IdentityState.NONE) {
            identity.create("itest", PASSWORD.clone());
        } else if (state == IdentityState.LOCKED) {
            identity.unlock(PASSWORD.clone());
        }
        assertNotNull("the store did not open after unlock", awaitService(Store.class));
    }

    private <T> T awaitService(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            return tracker.waitForService(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } finally {
            tracker.close();
        }
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    @Test
    public void everyBundleOfEveryFeatureIsActive() throws Exception {
        installEveryFeature();
        Path dist = Paths.get(context.getProperty("jarvis.install"));
        int checked = 0;
        for (String root : List.of("bundle", "features")) {
            for (Path dir : Distribution.featureDirs(dist.resolve(root))) {
                for (Path jar : Distribution.jars(dir)) {
                    String[] id = Jars.identity(jar);
                    Bundle b = bundle(id[0]).orElse(null);
                    assertNotNull("bundle " + id[0] + " of feature " + dir.getFileName() + " is not installed", b);
                    assertEquals(id[0] + " state", Bundle.ACTIVE, b.getState());
                    checked++;
                }
            }
        }
        assertTrue("expected the distribution to carry bundles, found " + checked, checked >= 15);
        for (Bundle b : context.getBundles()) {
            if (!isFragment(b)) {
                assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
            }
        }
    }

    @Test
    public void everyComponentOfOurBundlesIsSatisfied() throws Exception {
        installEveryFeature();
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("jarvis.")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                components++;
                if (!scr.isComponentEnabled(d)) {
                    problems.add(d.name + " is disabled");
                    continue;
                }
                var configs = scr.getComponentConfigurationDTOs(d);
                if (configs.isEmpty() && !"require".equals(d.configurationPolicy)) {
                    problems.add(d.name + " has no configuration");
                }
                for (ComponentConfigurationDTO c : configs) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(d.name + " is in state " + c.state + ", unsatisfied references: "
                                + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name).toList()
                                + (c.failure == null ? "" : ", failure: " + c.failure));
                    }
                }
            }
        }
        assertTrue("no DS components found in jarvis bundles", components >= 3);
        assertTrue(String.join("\n", problems), problems.isEmpty());
    }

    @Test
    public void optionalFeatureInstallsAndUninstallsAtRuntime() throws Exception {
        String name = "jarvis-transport-tcp";
        Path choice = Paths.get(context.getProperty("jarvis.data"), "etc", "features");
        installEveryFeature();
        assertEquals(Bundle.ACTIVE, bundle("jarvis.transport.tcp").orElseThrow().getState());

        Feature removed = features.uninstall(name);
        assertFalse(removed.installed());
        assertTrue("the feature's own bundle left behind", bundle("jarvis.transport.tcp").isEmpty());
        // Netty is shared with jarvis-ipc, which is still installed: it must stay, and stay active.
        assertEquals(Bundle.ACTIVE, bundle("io.netty.buffer").orElseThrow().getState());
        assertFalse(Files.readAllLines(choice).contains(name));

        features.uninstall("jarvis-ipc");
        assertTrue("netty left behind once no feature needs it", bundle("io.netty.buffer").isEmpty());
        assertTrue(bundle("io.netty.common").isEmpty());

        Feature again = features.install(name);
        assertTrue(again.installed());
        assertEquals(Bundle.ACTIVE, bundle("jarvis.transport.tcp").orElseThrow().getState());
        assertEquals(Bundle.ACTIVE, bundle("io.netty.buffer").orElseThrow().getState());
        assertTrue(Files.readAllLines(choice).contains(name));
        features.install("jarvis-ipc");
    }

    @Test
    public void requiredFeatureCannotBeUninstalled() {
        try {
            features.uninstall("jarvis-core");
            fail("jarvis-core was uninstalled");
        } catch (FeatureException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("required"));
        }
        assertEquals(Bundle.ACTIVE, bundle("jarvis.api").orElseThrow().getState());
    }

    @Test
    public void unknownFeatureIsReportedWithTheKnownNames() {
        try {
            features.install("jarvis-nope");
            fail("an unknown feature was accepted");
        } catch (FeatureException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no feature named 'jarvis-nope'"));
            assertTrue(e.getMessage(), e.getMessage().contains("jarvis-core"));
        }
    }

    @Test
    public void consoleCommandsListAndInstallFeatures() throws Exception {
        String list = run("feature:list");
        assertTrue(list, list.contains("jarvis-runtime") && list.contains("required"));
        assertTrue(list, list.contains("jarvis-transport-tcp"));
        String installed = run("feature:install jarvis-tui");
        assertTrue(installed, installed.contains("feature jarvis-tui installed"));
        String failed = run("feature:uninstall jarvis-core");
        assertTrue(failed, failed.contains("cannot be uninstalled"));
    }

    @Test
    public void consoleShowsIdentityPeersAndTransports() throws Exception {
        installEveryFeature();
        String shown = run("jarvis:identity show");
        assertTrue(shown, shown.contains("itest"));
        assertTrue(shown, shown.matches("(?s).*([0-9a-f]{4} ){15}[0-9a-f]{4}.*"));
        assertEquals(shown, run("identity:show"));
        String transports = run("jarvis:transports");
        assertTrue(transports, transports.contains("tcp") && transports.contains("tcp://127.0.0.1:0"));
        String peers = run("jarvis:peers");
        assertTrue(peers, peers.contains("no contacts yet") || peers.startsWith("CONTACT"));
        String bad = run("jarvis:identity frobnicate");
        assertTrue(bad, bad.startsWith("usage: jarvis:identity"));
    }

    @Test
    public void consoleAddsAContactByLinkCodeAndSendsToIt() throws Exception {
        installEveryFeature();
        String link = run("jarvis:link").strip();
        assertTrue(link, link.startsWith("jarvis2:"));
        try (SpecPeer peer = new SpecPeer()) {
            String added = run("jarvis:add " + IpcContainerIT.peerLinkCode(peer));
            assertTrue(added, added.contains("spec-peer"));
            String contacts = run("jarvis:contacts");
            assertTrue(contacts, contacts.contains("spec-peer") && contacts.contains(peer.uid));
            String shown = run("jarvis:contact spec-peer");
            assertTrue(shown, shown.contains(jarvis.api.Ids.displayFingerprint(
                    jarvis.crypto.Fingerprint.of(peer.keys.publicKey()).hex())));
            String sent = run("jarvis:send spec-peer hello from the console");
            assertFalse(sent, sent.toLowerCase(java.util.Locale.ROOT).contains("error"));
            String history = run("jarvis:history spec-peer");
            assertTrue(history, history.contains("hello from the console"));
            String unknown = run("jarvis:send nobody hi");
            assertFalse(unknown, unknown.contains("hello"));
            assertTrue(unknown, unknown.toLowerCase(java.util.Locale.ROOT).contains("nobody"));

            // Groups on the console: create with the peer invited, send, read the history back.
            String created = run("jarvis:group create Console-team spec-peer");
            assertTrue(created, created.startsWith("created Console-team (g") && created.contains("invited 1"));
            String members = run("jarvis:group members Console-team");
            assertTrue(members, members.contains("spec-peer") && members.contains("invited") && members.contains("admin"));
            String groupSent = run("jarvis:group send Console-team hello group");
            // The only other member has not accepted: nobody to send to yet, so it is delivered to all (none).
            assertTrue(groupSent, groupSent.startsWith("message to Console-team delivered"));
            assertTrue(run("jarvis:group history Console-team").contains("hello group"));
            String groups = run("jarvis:groups");
            assertTrue(groups, groups.contains("Console-team") && groups.contains("joined"));
            assertTrue(run("jarvis:group rename nosuchgroup x").startsWith("no group nosuchgroup"));
            assertTrue(run("jarvis:group").startsWith("usage: jarvis:group"));
            assertTrue(run("jarvis:group delete Console-team").contains("deleted Console-team"));
            assertTrue(run("jarvis:groups").startsWith("no groups yet"));
            run("jarvis:remove spec-peer");
        }
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
        } catch (Exception e) {
            print.println(e.getMessage());
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void bundleDroppedIntoPluginsStartsAndLeavesWhenRemoved() throws Exception {
        Path plugins = Paths.get(context.getProperty("felix.fileinstall.dir"));
        String bsn = "jarvis.itest.dropin";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch uninstalled = new CountDownLatch(1);
        BundleListener listener = event -> {
            if (bsn.equals(event.getBundle().getSymbolicName())) {
                if (event.getType() == BundleEvent.STARTED) {
                    started.countDown();
                } else if (event.getType() == BundleEvent.UNINSTALLED) {
                    uninstalled.countDown();
                }
            }
        };
        context.addBundleListener(listener);
        try {
            Path jar = plugins.resolve("dropin.jar");
            Jars.writeBundle(jar, bsn, "1.0.0");
            assertTrue("dropped bundle did not start", started.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(Bundle.ACTIVE, bundle(bsn).orElseThrow().getState());

            Files.delete(jar);
            assertTrue("removed bundle was not uninstalled", uninstalled.await(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(bundle(bsn).isEmpty());
        } finally {
            context.removeBundleListener(listener);
        }
    }

    @Test
    public void cfgFileInPluginsBecomesAConfiguration() throws Exception {
        Path plugins = Paths.get(context.getProperty("felix.fileinstall.dir"));
        String pid = "jarvis.itest.sample";
        CountDownLatch updated = new CountDownLatch(1);
        ConfigurationListener listener = event -> {
            if (pid.equals(event.getPid()) && event.getType() == ConfigurationEvent.CM_UPDATED) {
                updated.countDown();
            }
        };
        ServiceRegistration<ConfigurationListener> reg =
                context.registerService(ConfigurationListener.class, listener, new Hashtable<>());
        try {
            Path tmp = Files.createTempFile(plugins.getParent(), "cfg", ".tmp");
            Files.writeString(tmp, "greeting = hello\n");
            Files.move(tmp, plugins.resolve(pid + ".cfg"));
            assertTrue("configuration did not appear", updated.await(WAIT_SECONDS, TimeUnit.SECONDS));
            org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            assertNotNull(found);
            assertEquals("hello", found[0].getProperties().get("greeting"));
            assertFalse(found[0].getAttributes().contains(ConfigurationAttribute.READ_ONLY));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void lockingTheIdentityClosesTheStoreAndUnlockingReopensIt() throws Exception {
        installEveryFeature();
        ContactService contacts = awaitService(ContactService.class);
        assertNotNull(contacts);
        int before = contacts.list().size();

        identity.lock();
        assertNull("the store stays registered while locked", context.getServiceReference(Store.class));
        assertNull("contacts stay available while locked", context.getServiceReference(ContactService.class));

        unlock();
        ContactService again = awaitService(ContactService.class);
        assertNotNull(again);
        assertEquals(before, again.list().size());
    }
}
