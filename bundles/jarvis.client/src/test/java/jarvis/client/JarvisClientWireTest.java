package jarvis.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the client puts on the wire, seen by a scripted peer on a real Unix socket (the client against
 * the real daemon is tested in the jarvis.ipc module).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JarvisClientWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** Accepts one client, answers its hello, then answers each request by {@code answer}. */
    private CompletableFuture<JsonNode> scriptedDaemon(ServerSocketChannel server, String secondRequestAnswer) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel peer = server.accept()) {
                JsonNode hello = JSON.readTree(readLine(peer));
                write(peer, "{\"id\":" + hello.get("id") + ",\"success\":true,\"server\":\"jarvisd\",\"version\":1,"
                        + "\"protocol\":[1]}\n");
                JsonNode request = JSON.readTree(readLine(peer));
                write(peer, "{\"type\":\"event\",\"event\":\"contact_added\",\"data\":{\"uid\":\"x\"}}\n");
                write(peer, secondRequestAnswer.replace("$ID", request.get("id").toString()) + "\n");
                return request;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ServerSocketChannel listen() throws IOException {
        Path socket = data.resolve("run").resolve("jarvisd.sock");
        Files.createDirectories(socket.getParent());
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    @Test
    void passwordIsSentAsAJsonStringAndWipedAndIdsMatchResponses() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<JsonNode> seen = scriptedDaemon(server,
                    "{\"id\":$ID,\"success\":true,\"identity\":{\"uid\":\"u\",\"username\":\"alice\",\"unlocked\":true}}");
            CompletableFuture<Event> event = new CompletableFuture<>();
            try (JarvisClient client = JarvisClient.connect(data, ClientOptions.defaults().withReconnect(false))) {
                client.onEvent(event::complete);
                char[] password = "pässword".toCharArray();

                IdentityInfo identity = client.unlock(password).get(10, TimeUnit.SECONDS);

                assertThat(password).containsOnly('\0');
                assertThat(identity.username()).isEqualTo("alice");
                JsonNode request = seen.get(10, TimeUnit.SECONDS);
                assertThat(request.path("command").asText()).isEqualTo("unlock");
                assertThat(request.path("params").path("password").asText()).isEqualTo("pässword");
                assertThat(event.get(10, TimeUnit.SECONDS).name()).isEqualTo("contact_added");
            }
        }
    }

    @Test
    void connectionLostFailsTheWaitingRequestWithAClearException() throws Exception {
        try (ServerSocketChannel server = listen()) {
            // The scripted daemon answers hello, reads one request, sends an event and hangs up without answering.
            scriptedDaemon(server, "");
            try (JarvisClient client = JarvisClient.connect(data, ClientOptions.defaults().withReconnect(false)
                    .withRequestTimeout(Duration.ofSeconds(10)))) {
                CompletableFuture<JsonNode> pending = client.request("status");

                assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(ConnectionLostException.class).hasMessageContaining("status not answered");
            }
        }
    }

    @Test
    void emptyDataDirectoryNamesWhatWasLookedFor() {
        assertThatThrownBy(() -> JarvisClient.connect(data)).isInstanceOf(DaemonNotFoundException.class)
                .hasMessageContaining("jarvisd.sock").hasMessageContaining("ipc.port");
    }

    @Test
    void optionsRefuseNonsense() {
        assertThatThrownBy(() -> ClientOptions.defaults().withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientOptions.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] readLine(SocketChannel peer) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (peer.read(one) < 0) {
                throw new IOException("client closed");
            }
            if (one.get(0) == '\n') {
                return line.toByteArray();
            }
            line.write(one.get(0));
        }
    }

    private static void write(SocketChannel peer, String text) throws IOException {
        if (text.isBlank()) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            peer.write(b);
        }
    }
}
