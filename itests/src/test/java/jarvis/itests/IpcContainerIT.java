package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import jarvis.api.identity.IdentityService;
import jarvis.api.messaging.MessageService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The IPC server of the jarvis-ipc feature in a real container, spoken to over its Unix socket
 * with raw JSON lines as docs/ipc.md gives them: messaging, contacts by link code, our own link
 * code. The peer is {@link SpecPeer}, which answers sessions but not messages, so a message to it
 * is sent but never acknowledged.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IpcContainerIT {

    @Inject
    private BundleContext context;

    @Inject
    private IdentityService identity;

    @Configuration
    public Option[] config() throws Exception {
        return ContainerSetup.options(ContainerSetup.newDirectory("data"), ContainerSetup.newDirectory("plugins"));
    }

    /** One JSON-lines connection; requests are answered in order here because each waits for its answer. */
    private static final class Line implements Closeable {
        private final SocketChannel channel;
        private final BufferedReader in;
        private final Writer out;

        Line(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            out = Channels.newWriter(channel, StandardCharsets.UTF_8);
        }

        /** Sends a request and returns its response line, skipping interleaved events. */
        String call(int id, String command, String params) throws IOException {
            out.write("{\"id\":" + id + ",\"command\":\"" + command + "\",\"params\":" + params + "}\n");
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("\"id\":" + id + ",") || line.contains("\"id\":" + id + "}")) {
                    return line;
                }
            }
            throw new IOException("connection closed before the answer to " + command);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    @Test
    public void messagingAndLinkCodesOverTheUnixSocket() throws Exception {
        identity.create("ipc-itest", "correct horse battery staple".toCharArray());
        ServiceTracker<MessageService, MessageService> messaging = new ServiceTracker<>(context, MessageService.class, null);
        messaging.open();
        assertNotNull("messaging did not start after unlock", messaging.waitForService(TimeUnit.SECONDS.toMillis(30)));
        messaging.close();

        Path socket = Paths.get(context.getProperty("jarvis.data"), "run", "jarvisd.sock");
        assertTrue("no IPC socket at " + socket, Files.exists(socket));
        try (SpecPeer peer = new SpecPeer(); Line ipc = new Line(socket)) {
            assertTrue(ipc.call(1, "hello", "{\"version\":1}").contains("\"success\":true"));
            String status = ipc.call(2, "status", "{}");
            assertTrue(status, status.contains("\"messaging\":true"));

            String own = ipc.call(3, "get_link_code", "{}");
            assertTrue(own, field(own, "link_code").startsWith("jarvis2:"));

            String code = peerLinkCode(peer);
            String added = ipc.call(4, "add_contact_link", "{\"link_code\":\"" + code + "\"}");
            assertTrue(added, added.contains("\"success\":true") && added.contains(peer.uid));

            String unknown = ipc.call(5, "send_message", "{\"uid\":\"nobody\",\"message\":\"hi\"}");
            assertTrue(unknown, unknown.contains("Contact not found"));

            String sent = ipc.call(6, "send_message", "{\"uid\":\"spec-peer\",\"message\":\"hello over IPC\"}");
            assertTrue(sent, sent.contains("\"success\":true"));
            String id = field(sent, "message_id");
            assertEquals(32, id.length());

            String history = ipc.call(7, "get_messages", "{\"uid\":\"" + peer.uid + "\"}");
            assertTrue(history, history.contains("\"content\":\"hello over IPC\"") && history.contains(id));
            assertTrue(history, history.contains("\"sent_by_me\":true"));
            assertFalse("the peer never acknowledges, so nothing is DELIVERED", history.contains("DELIVERED"));

            String unread = ipc.call(8, "get_total_unread_count", "{}");
            assertTrue(unread, unread.contains("\"count\":0"));
            String tooLong = ipc.call(9, "send_message", "{\"uid\":\"" + peer.uid + "\",\"message\":\""
                    + "x".repeat(65537) + "\"}");
            assertTrue(tooLong, tooLong.contains("\"success\":false") && tooLong.contains("too long"));
        }
    }

    /** Our link code for the spec peer, built the way docs/storage.md specifies it. */
    static String peerLinkCode(SpecPeer peer) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(1);
        out.write(java.util.HexFormat.of().parseHex(peer.uid));
        out.write(java.util.HexFormat.of().parseHex(peer.publicKeyHex()));
        byte[] name = "spec-peer".getBytes(StandardCharsets.UTF_8);
        out.write(name.length);
        out.write(name);
        byte[] endpoint = ("tcp://127.0.0.1:" + peer.port()).getBytes(StandardCharsets.US_ASCII);
        out.write(1);
        out.write(endpoint.length >> 8);
        out.write(endpoint.length & 0xFF);
        out.write(endpoint);
        byte[] body = out.toByteArray();
        byte[] check = java.security.MessageDigest.getInstance("SHA-256").digest(body);
        out.write(check, 0, 4);
        return "jarvis2:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }
}
