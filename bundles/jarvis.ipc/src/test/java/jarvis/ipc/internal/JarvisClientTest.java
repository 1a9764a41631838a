package jarvis.ipc.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import jarvis.client.ClientOptions;
import jarvis.client.CommandFailedException;
import jarvis.client.ConnectionLostException;
import jarvis.client.ContactInfo;
import jarvis.client.DaemonNotFoundException;
import jarvis.client.Event;
import jarvis.client.IdentityInfo;
import jarvis.client.JarvisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client library against the real IPC server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JarvisClientTest {

    @TempDir
    Path data;

    private TestDaemon daemon;
    private JarvisClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private static IpcSettings tcpOnly() {
        return new IpcSettings(0, true, false, 1024 * 1024, 1024, 1 << 24, 2, 64, 10);
    }

    private static ClientOptions fastReconnect() {
        return ClientOptions.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    @Test
    void findsTheDaemonByItsUnixSocketAndServesTypedCommands() throws Exception {
        daemon = new TestDaemon(data);
        daemon.start(TestDaemon.settings());
        client = JarvisClient.connect(data);

        assertThat(client.transport()).isEqualTo("unix");
        assertThat(client.ping().get(10, TimeUnit.SECONDS)).isEqualTo("pong");
        char[] password = TestDaemon.PASSWORD.toCharArray();
        // Creating runs Argon2id at full cost (64 MiB) and opens the store: seconds on a busy 2-core machine.
        IdentityInfo alice = client.createIdentity("alice", password).get(60, TimeUnit.SECONDS);
        assertThat(password).as("the helper wipes the password").containsOnly('\0');
        assertThat(alice.username()).isEqualTo("alice");
        assertThat(alice.unlocked()).isTrue();
        assertThat(client.identity().get(10, TimeUnit.SECONDS).uid()).isEqualTo(alice.uid());

        ContactInfo bob = client.addContact(IpcServerTest.BOB_UID, "bob", IpcServerTest.BOB_KEY,
                List.of("tcp://127.0.0.1:5000")).get(10, TimeUnit.SECONDS);
        assertThat(bob.fingerprint()).isEqualTo(Fingerprints.of(IpcServerTest.BOB_KEY));
        assertThat(client.contacts().get(10, TimeUnit.SECONDS)).containsExactly(bob);
        assertThat(client.verifyContact(bob.uid()).get(10, TimeUnit.SECONDS).verified()).isTrue();
    }

    @Test
    void fallsBackToTcpWithTheTokenFile() throws Exception {
        daemon = new TestDaemon(data);
        daemon.start(tcpOnly());
        client = JarvisClient.connect(data);

        assertThat(client.transport()).isEqualTo("tcp");
        JsonNode status = client.status().get(10, TimeUnit.SECONDS);
        assertThat(status.path("daemon").path("version").asText()).isEqualTo("test");
        assertThat(status.path("identity").path("state").asText()).isEqualTo("none");
    }

    @Test
    void noDaemonIsAClearError() {
        assertThatThrownBy(() -> JarvisClient.connect(data)).isInstanceOf(DaemonNotFoundException.class)
                .hasMessageContaining("no jarvisd answers for " + data);
    }

    @Test
    void failedCommandsCompleteExceptionallyWithTheDaemonsError() throws Exception {
        daemon = new TestDaemon(data);
        daemon.start(TestDaemon.settings());
        client = JarvisClient.connect(data);

        assertThatThrownBy(() -> client.contacts().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.error()).isEqualTo("Identity is locked");
                    assertThat(e.locked()).isTrue();
                });
        assertThatThrownBy(() -> client.request("frobnicate").get(10, TimeUnit.SECONDS))
                .cause().hasMessage("frobnicate: Unknown command: frobnicate");
    }

    @Test
    void eventsReachEveryListeningClient() throws Exception {
        daemon = new TestDaemon(data);
        daemon.start(TestDaemon.settings());
        client = JarvisClient.connect(data);
        try (JarvisClient other = JarvisClient.connect(data)) {
            CompletableFuture<Event> seenHere = new CompletableFuture<>();
            CompletableFuture<Event> seenThere = new CompletableFuture<>();
            client.onEvent(e -> {
                if (e.name().equals("contact_added")) {
                    seenHere.complete(e);
                }
            });
            other.onEvent(e -> {
                if (e.name().equals("contact_added")) {
                    seenThere.complete(e);
                }
            });
            client.createIdentity("alice", TestDaemon.PASSWORD.toCharArray()).get(10, TimeUnit.SECONDS);

            other.addContact(IpcServerTest.BOB_UID, "bob", IpcServerTest.BOB_KEY, List.of()).get(10, TimeUnit.SECONDS);

            assertThat(seenHere.get(10, TimeUnit.SECONDS).data().path("contact").path("username").asText()).isEqualTo("bob");
            assertThat(seenThere.get(10, TimeUnit.SECONDS).data().path("contact").path("uid").asText())
                    .isEqualTo(IpcServerTest.BOB_UID);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void reconnectsAfterTheServerIsDeactivatedAndActivatedAgain(boolean unix) throws Exception {
        IpcSettings settings = unix ? TestDaemon.settings() : tcpOnly();
        daemon = new TestDaemon(data);
        IpcServer first = daemon.start(settings);
        BlockingFeatures features = new BlockingFeatures();
        first.setFeatures(features);
        client = JarvisClient.connect(data, fastReconnect());
        assertThat(client.transport()).isEqualTo(unix ? "unix" : "tcp");
        daemon.identity.create("alice", TestDaemon.PASSWORD.toCharArray());
        CompletableFuture<JarvisClient.State> lost = new CompletableFuture<>();
        CompletableFuture<JarvisClient.State> back = new CompletableFuture<>();
        client.onStateChange(s -> {
            if (s == JarvisClient.State.DISCONNECTED) {
                lost.complete(s);
            } else if (s == JarvisClient.State.CONNECTED && lost.isDone()) {
                back.complete(s);
            }
        });

        CompletableFuture<JsonNode> pending = client.request("install_feature", Map.of("name", "jarvis-tui"));
        assertThat(features.entered.await(10, TimeUnit.SECONDS)).as("the request is being served").isTrue();
        daemon.stopServer();

        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ConnectionLostException.class).hasMessageContaining("install_feature not answered");
        lost.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.ping().get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ConnectionLostException.class);

        daemon.start(settings);
        back.get(10, TimeUnit.SECONDS);
        assertThat(client.state()).isEqualTo(JarvisClient.State.CONNECTED);
        assertThat(client.ping().get(10, TimeUnit.SECONDS)).isEqualTo("pong");
        assertThat(client.identity().get(10, TimeUnit.SECONDS).username()).isEqualTo("alice");
    }

    @Test
    void unansweredRequestTimesOutAndTheConnectionStaysUsable() throws Exception {
        daemon = new TestDaemon(data);
        IpcServer server = daemon.start(TestDaemon.settings());
        BlockingFeatures features = new BlockingFeatures();
        server.setFeatures(features);
        daemon.identity.create("alice", TestDaemon.PASSWORD.toCharArray());
        client = JarvisClient.connect(data, ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(300)));

        CompletableFuture<JsonNode> slow = client.request("install_feature", Map.of("name", "jarvis-tui"));

        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("install_feature");
        features.release.countDown();
        assertThat(client.ping().get(10, TimeUnit.SECONDS)).isEqualTo("pong");
    }

    @Test
    void closeFailsWhatIsStillWaiting() throws Exception {
        daemon = new TestDaemon(data);
        IpcServer server = daemon.start(TestDaemon.settings());
        BlockingFeatures features = new BlockingFeatures();
        server.setFeatures(features);
        daemon.identity.create("alice", TestDaemon.PASSWORD.toCharArray());
        client = JarvisClient.connect(data);
        CompletableFuture<JsonNode> pending = client.request("install_feature", Map.of("name", "jarvis-tui"));
        assertThat(features.entered.await(10, TimeUnit.SECONDS)).isTrue();

        client.close();

        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ConnectionLostException.class);
        assertThat(client.state()).isEqualTo(JarvisClient.State.CLOSED);
        assertThatThrownBy(() -> client.ping().get(10, TimeUnit.SECONDS)).cause()
                .hasMessage("the client is closed");
        features.release.countDown();
    }

    /** A feature service whose install blocks until released: a request that stays in flight. */
    static final class BlockingFeatures implements FeatureService {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<Feature> features() {
            return List.of();
        }

        @Override
        public Feature install(String name) throws FeatureException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FeatureException("interrupted");
            }
            return new Feature(name, List.of(), false, true);
        }

        @Override
        public Feature uninstall(String name) {
            return new Feature(name, List.of(), false, false);
        }
    }
}
