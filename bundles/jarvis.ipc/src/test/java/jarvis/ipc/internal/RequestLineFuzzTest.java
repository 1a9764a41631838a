package jarvis.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the IPC request path up to the command table (docs/ipc.md, "Framing" and "Requests"): the bytes a client
 * sends go through the server's line splitter ({@link LineBasedFrameDecoder} as {@code IpcServer} configures it,
 * here with the smallest allowed {@code max.line.bytes}, 1024) and every line through {@link RequestParser}; a
 * parsed request's parameter accessors are called as commands call them. Documented refusals:
 * {@link RequestParser.Malformed} (answered with an error, the connection stays), {@link TooLongFrameException}
 * ("Line too long", the connection closes: nothing after it is read) and {@link CommandFailure} from the
 * accessors. A parsed request must have a string or number id, a command and an object of parameters, and
 * {@link Request#wipe} must zero every password it holds.
 */
class RequestLineFuzzTest {

    static final String TARGET = "ipc-lines";
    static final int MAX_LINE = 1024;
    private static final RequestParser PARSER = new RequestParser();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Lines extends ChannelInboundHandlerAdapter {
        final List<byte[]> lines = new ArrayList<>();
        Throwable error;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            try {
                if (error == null) {
                    lines.add(ByteBufUtil.getBytes(line));
                }
            } finally {
                line.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) {
                error = cause;
            }
        }
    }

    static void serve(byte[] input) throws Throwable {
        Lines sink = new Lines();
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
        channel.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, true), sink);
        channel.register();
        Random reads = new Random(input.length);
        try {
            for (int at = 0; at < input.length && sink.error == null; ) {
                int n = Math.min(input.length - at, 1 + reads.nextInt(600));
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        Throwable refusal = null;
        for (byte[] line : sink.lines) {
            assertThat(line.length).isLessThanOrEqualTo(MAX_LINE);
            try {
                check(PARSER.parse(line));
            } catch (RequestParser.Malformed e) {
                // The texts docs/ipc.md lists, one line each.
                assertThat(e.getMessage()).matches("(Invalid|Missing) .*|Invalid JSON").doesNotContain("\n");
                refusal = refusal == null ? e : refusal;
            } catch (CommandFailure e) {
                refusal = refusal == null ? e : refusal;
            }
        }
        if (sink.error != null) {
            throw sink.error;
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    private static void check(Request r) throws CommandFailure {
        assertThat(r.id()).isNotNull();
        assertThat(r.id().isTextual() || r.id().isNumber()).as("id is a string or a number").isTrue();
        assertThat(r.command()).isNotEmpty();
        assertThat(r.params()).isNotNull();
        try {
            for (String name : List.of("password", "old_password", "new_password")) {
                if (r.params().hasNonNull(name)) {
                    r.secret(name);
                }
            }
            r.optionalText("uid");
            r.optionalText("username");
            r.optionalInt("port", 1, 65535);
            r.optionalInt("limit", 1, 500);
            r.bool("verified", false);
        } finally {
            r.wipe();
            for (char[] secret : r.secrets()) {
                assertThat(new String(secret).chars().allMatch(c -> c == 0)).as("password wiped").isTrue();
            }
        }
    }

    static Map<String, byte[]> corpus() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("valid-hello", "{\"id\":1,\"command\":\"hello\",\"params\":{\"version\":1,\"token\":\"" + "ab".repeat(32)
                + "\"}}\n");
        lines.put("valid-unlock", "{\"id\":\"u-1\",\"command\":\"unlock\",\"params\":{\"password\":\"s3cr\\u00e9t\"}}\r\n");
        lines.put("valid-change-password", "{\"id\":2,\"command\":\"change_password\",\"params\":{\"old_password\":\"a\","
                + "\"new_password\":\"b\"}}\n");
        lines.put("valid-add-contact", "{\"id\":3,\"command\":\"add_contact\",\"params\":{\"uid\":\"0123456789abcdef"
                + "0123456789abcdef\",\"username\":\"bob\",\"public_key\":\"" + "0f".repeat(32) + "\",\"host\":\"h\","
                + "\"port\":5000,\"endpoints\":[\"tcp://h:1\",\"tcp://[::1]:2\"],\"verified\":true}}\n");
        lines.put("valid-send-message", "{\"id\":4,\"command\":\"send_message\",\"params\":{\"uid\":\"0123456789abcdef"
                + "0123456789abcdef\",\"text\":\"h\\u00e9 \\ud83c\\udf38 \\\"quoted\\\"\"}}\n");
        lines.put("valid-several-lines", "{\"id\":5,\"command\":\"ping\"}\n{\"id\":6,\"command\":\"status\","
                + "\"params\":null}\n{\"id\":7.5,\"command\":\"get_contacts\",\"params\":{}}\n");
        String pad = "x".repeat(MAX_LINE - "{\"id\":8,\"command\":\"ping\",\"params\":{\"p\":\"\"}}".length());
        lines.put("valid-line-of-max-length", "{\"id\":8,\"command\":\"ping\",\"params\":{\"p\":\"" + pad + "\"}}\n");
        lines.put("bad-line-one-byte-too-long", "{\"id\":8,\"command\":\"ping\",\"params\":{\"p\":\"" + pad + "x\"}}\n");
        lines.put("bad-not-json", "hello\n");
        lines.put("bad-array", "[1,2,3]\n");
        lines.put("bad-two-objects", "{\"id\":1,\"command\":\"ping\"} {}\n");
        lines.put("bad-no-id", "{\"command\":\"ping\"}\n");
        lines.put("bad-boolean-id", "{\"id\":true,\"command\":\"ping\"}\n");
        lines.put("bad-params-array", "{\"id\":1,\"command\":\"ping\",\"params\":[]}\n");
        lines.put("bad-nested-33", "{\"id\":1,\"command\":\"x\",\"params\":" + "[".repeat(33) + "]".repeat(33) + "}\n");
        lines.put("bad-port-not-integer", "{\"id\":1,\"command\":\"add_contact\",\"params\":{\"port\":1e999}}\n");
        lines.put("bad-password-number", "{\"id\":1,\"command\":\"unlock\",\"params\":{\"password\":42}}\n");
        Map<String, byte[]> files = new LinkedHashMap<>();
        lines.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    @Test
    void linesAreSplitAndParsedOrRefusedWithTheDocumentedErrorsOnly() {
        Fuzz.Report report = Fuzz.target(TARGET)
                .documented(RequestParser.Malformed.class, TooLongFrameException.class, CommandFailure.class)
                .tries(10_000)
                .interesting(MAX_LINE, RequestParser.MAX_DEPTH, Integer.MAX_VALUE, Long.MAX_VALUE)
                .dictionary(Mutator.tokens("{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud83c", "\n", "\r\n",
                        "\"id\":", "\"command\":", "\"params\":", "\"password\":", "null", "true", "false", "-0",
                        "1e400", "123456789012345678901234567890", "\"port\":", "1.5"))
                .lengths(200, 4 * MAX_LINE)
                .maxAllocation(input -> (4L << 20) + 256L * input.length)
                .run(RequestLineFuzzTest::serve);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(7);
        assertThat(report.refused()).containsKeys("Malformed", "TooLongFrameException");
    }

    @Test
    void anyRequestSerialisedAsOneLineParsesBackToTheSameTree() {
        Fuzz.target(TARGET + "-round-trip").tries(3000).property(r -> {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            if (r.nextBoolean()) {
                root.put("id", r.nextInt());
            } else {
                root.put("id", Gen.text(r, 12, true));
            }
            root.put("command", Gen.text(r, 20, false));
            ObjectNode params = root.putObject("params");
            fill(params, r, 0);
            byte[] line = JSON.writeValueAsBytes(root);
            Request request = PARSER.parse(line);
            assertThat(request.id()).isEqualTo(root.get("id"));
            assertThat(request.command()).isEqualTo(root.get("command").textValue());
            assertThat(revealed(request.params())).isEqualTo(params);
            request.wipe();
        });
    }

    /** Random members; password fields at any depth hold strings. */
    private static void fill(ObjectNode object, Random r, int depth) {
        int members = r.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < members; i++) {
            String name = r.nextInt(5) == 0 ? List.of("password", "old_password", "new_password").get(r.nextInt(3))
                    : Gen.text(r, 10, true);
            if (RequestParser.SECRET_FIELDS.contains(name)) {
                object.put(name, Gen.text(r, 30, true));
            } else {
                object.set(name, value(r, depth));
            }
        }
    }

    private static JsonNode value(Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (r.nextInt(depth < 6 ? 9 : 7)) {
            case 0:
                return f.numberNode(r.nextInt());
            case 1:
                return f.numberNode(r.nextLong());
            case 2:
                return f.textNode(Gen.text(r, 40, true));
            case 3:
                return f.booleanNode(r.nextBoolean());
            case 4:
                return f.nullNode();
            case 5:
                return f.numberNode(new java.math.BigInteger(100, r));
            case 6:
                return f.textNode("");
            case 7: {
                ArrayNode a = f.arrayNode();
                for (int i = 0; i < r.nextInt(4); i++) {
                    a.add(value(r, depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode o = f.objectNode();
                fill(o, r, depth + 1);
                return o;
            }
        }
    }

    /** The tree with each password as the text it holds. */
    private static JsonNode revealed(JsonNode node) {
        if (node instanceof POJONode p && p.getPojo() instanceof Request.Secret s) {
            return TextNode.valueOf(new String(s.chars()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), revealed(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(revealed(n)));
            return copy;
        }
        return node;
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws IOException {
        Fuzz.writeCorpus(TARGET, corpus());
    }
}
