package jarvis.transport.tcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import jarvis.api.transport.Limits;
import jarvis.api.transport.TransportException;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes {@link FrameDecoder} (4-byte big-endian unsigned length, then the frame): an input is the byte stream a
 * peer sends, cut into reads at places derived from the input, then the connection closes. Documented refusal:
 * a {@link TransportException} reported down the pipeline (frame over the limit, connection closed inside a
 * frame). Beyond that, the frames delivered must be exactly those of a reference model of the format, nothing is
 * delivered after a refusal, and the decoder allocates nothing of the size a length prefix announces before
 * those bytes have arrived (the per-try allocation bound is linear in the input, so a prefix near 2^31 that made
 * the decoder reserve its frame would fail).
 */
class FrameDecoderFuzzTest {

    static final String TARGET = "frame-decoder";

    /** What the pipeline after the decoder saw. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final List<byte[]> frames = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            assertThat(msg).isInstanceOf(byte[].class);
            assertThat(errors).as("a frame after a refusal").isEmpty();
            frames.add((byte[]) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /** The format's own reading of a stream: the frames, and whether it must be refused. */
    record Expected(List<byte[]> frames, boolean refused) {
    }

    static Expected model(byte[] stream, int limit) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (stream.length - pos >= 4) {
            long length = Integer.toUnsignedLong(ByteBuffer.wrap(stream, pos, 4).getInt());
            if (length > limit) {
                return new Expected(frames, true);
            }
            if (stream.length - pos - 4 < length) {
                break;
            }
            frames.add(Arrays.copyOfRange(stream, pos + 4, pos + 4 + (int) length));
            pos += 4 + (int) length;
        }
        return new Expected(frames, pos < stream.length);
    }

    /** Feeds the stream in reads, closes, and compares with the model; rethrows the pipeline's refusal. */
    static void decode(byte[] stream) throws Throwable {
        Random cuts = new Random(Arrays.hashCode(stream));
        int limit = cuts.nextInt(4) == 0 ? 1024 * 1024 : Limits.PRE_AUTH_MAX_FRAME;
        Sink sink = new Sink();
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        // Heap buffers, so that the cumulation counts in the per-try allocation bound.
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
        channel.pipeline().addLast(new FrameDecoder(limit), sink);
        channel.register();
        try {
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, cuts.nextInt(3) == 0 ? 1 + cuts.nextInt(8)
                        : 1 + cuts.nextInt(Math.max(1, stream.length)));
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, n));
                at += n;
            }
            channel.close();
        } finally {
            channel.finishAndReleaseAll();
        }
        Expected expected = model(stream, limit);
        assertThat(sink.frames).hasSameSizeAs(expected.frames());
        for (int i = 0; i < expected.frames().size(); i++) {
            assertThat(sink.frames.get(i)).as("frame %d", i).isEqualTo(expected.frames().get(i));
        }
        if (!sink.errors.isEmpty()) {
            assertThat(sink.errors).as("one refusal per stream").hasSize(1);
            assertThat(expected.refused()).as("refused, but the format allows it: " + sink.errors.get(0)).isTrue();
            throw sink.errors.get(0);
        }
        assertThat(expected.refused()).as("the format refuses this stream, the decoder did not").isFalse();
    }

    static byte[] framed(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        for (byte[] f : frames) {
            channel.writeOutbound(f);
            ByteBuf buf = channel.readOutbound();
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.writeBytes(bytes);
        }
        channel.finishAndReleaseAll();
        return out.toByteArray();
    }

    static Map<String, byte[]> corpus() {
        Random r = new Random(1);
        byte[] small = new byte[100];
        r.nextBytes(small);
        byte[] atLimit = new byte[Limits.PRE_AUTH_MAX_FRAME];
        r.nextBytes(atLimit);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("valid-one-frame", framed(small));
        files.put("valid-empty-frame", framed(new byte[0]));
        files.put("valid-several-frames", framed(small, new byte[0], new byte[] {1}, Arrays.copyOf(small, 7)));
        files.put("valid-pre-auth-limit", framed(atLimit));
        files.put("valid-nothing", new byte[0]);
        files.put("bad-over-pre-auth-limit", Arrays.copyOf(Mutator.integer(Limits.PRE_AUTH_MAX_FRAME + 1, 4, true),
                40));
        files.put("bad-length-2p31-minus-1", Mutator.integer(0x7fff_ffffL, 4, true));
        files.put("bad-length-2p31", Arrays.copyOf(Mutator.integer(0x8000_0000L, 4, true), 12));
        files.put("bad-length-all-ones", Mutator.integer(0xffff_ffffL, 4, true));
        files.put("bad-closed-inside-prefix", new byte[] {0, 0});
        files.put("bad-closed-inside-frame", Arrays.copyOf(framed(small), 50));
        files.put("bad-http", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return files;
    }

    @Test
    void theDecoderDeliversExactlyTheFramesOfTheFormatAndRefusesOnlyWithTransportException() {
        Fuzz.Report report = Fuzz.target(TARGET)
                .documented(TransportException.class)
                .tries(10_000)
                .interesting(Limits.PRE_AUTH_MAX_FRAME, 1024 * 1024, TcpSettings.MAX_FRAME_CEILING)
                .lengths(600, 1 << 18)
                .maxAllocation(input -> (1L << 20) + 16L * input.length)
                .run(FrameDecoderFuzzTest::decode);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(5);
        assertThat(report.refused()).containsKey("TransportException");
    }

    @Test
    void framesWrittenByTheEncoderAreDecodedWholeWhateverTheReads() {
        Fuzz.target(TARGET + "-round-trip").tries(500).maxAllocation(input -> 256L << 20).property(r -> {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < r.nextInt(10); i++) {
                int size = switch (r.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> Limits.PRE_AUTH_MAX_FRAME;
                    case 2 -> r.nextInt(Limits.PRE_AUTH_MAX_FRAME);
                    default -> r.nextInt(300);
                };
                byte[] f = new byte[size];
                r.nextBytes(f);
                frames.add(f);
            }
            byte[] stream = framed(frames.toArray(byte[][]::new));
            Expected expected = model(stream, Limits.PRE_AUTH_MAX_FRAME);
            assertThat(expected.refused()).isFalse();
            assertThat(expected.frames()).hasSameSizeAs(frames);
            decode(stream);
        });
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws IOException {
        Fuzz.writeCorpus(TARGET, corpus());
    }
}
