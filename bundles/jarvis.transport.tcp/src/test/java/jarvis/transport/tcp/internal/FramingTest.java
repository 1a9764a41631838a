package jarvis.transport.tcp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import jarvis.api.Endpoint;
import jarvis.api.transport.Limits;
import jarvis.api.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The link pipeline (idle closer, decoder, encoder, link handler) on an EmbeddedChannel, without sockets. */
class FramingTest {

    private static final int MAX_FRAME = 1024 * 1024;

    private final RecordingReceiver receiver = new RecordingReceiver();
    private final List<ByteBuf> written = new ArrayList<>();
    private CountingAllocator allocator;
    private EmbeddedChannel channel;
    private TcpLink link;

    @BeforeEach
    void setUp() throws Exception {
        channel = new EmbeddedChannel(false, false);
        allocator = new CountingAllocator();
        channel.config().setAllocator(allocator);
        FrameDecoder decoder = new FrameDecoder(Limits.PRE_AUTH_MAX_FRAME);
        link = new TcpLink(channel, Endpoint.tcp("127.0.0.1", 4000), decoder, () -> MAX_FRAME,
                TcpSettings.from(new TestConfig().maxFrameBytes(MAX_FRAME)));
        channel.pipeline().addLast(new ReadIdleCloser(5), decoder, new FrameEncoder(), new LinkHandler(link, receiver));
        channel.register();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        // Every buffer handed to the pipeline was released by it, whatever path it took.
        assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    private void read(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            ByteBuf buf = Unpooled.wrappedBuffer(chunk);
            written.add(buf);
            channel.writeInbound(buf);
        }
    }

    private static byte[] framed(byte[] payload) {
        ByteBuf buf = Unpooled.buffer(4 + payload.length).writeInt(payload.length).writeBytes(payload);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    private static byte[] payload(int size, int seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void frameSplitAcrossReadsIsDeliveredWhole() throws Exception {
        byte[] payload = payload(1000, 1);
        byte[] wire = framed(payload);
        // Split inside the length prefix and inside the payload.
        read(slice(wire, 0, 2), slice(wire, 2, 3), slice(wire, 5, 500), slice(wire, 505, wire.length - 505));

        assertThat(receiver.frames).hasSize(1);
        assertThat(receiver.nextFrame()).isEqualTo(payload);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void severalFramesInOneReadAreDeliveredInOrder() throws Exception {
        byte[] a = payload(10, 1);
        byte[] b = payload(0, 2);
        byte[] c = payload(Limits.PRE_AUTH_MAX_FRAME, 3);
        read(concat(framed(a), framed(b), framed(c), slice(framed(a), 0, 3)));

        assertThat(receiver.frames).hasSize(3);
        assertThat(receiver.nextFrame()).isEqualTo(a);
        assertThat(receiver.nextFrame()).isEmpty();
        assertThat(receiver.nextFrame()).isEqualTo(c);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void hugeLengthPrefixClosesLinkBeforeAnyPayloadArrives() throws Exception {
        // Only the prefix is sent: the decision must be made on it alone, with nothing allocated for the frame.
        read(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

        assertThat(channel.isActive()).isFalse();
        Optional<Throwable> cause = receiver.awaitClosed();
        assertThat(cause).get().isInstanceOf(TransportException.class);
        assertThat(cause.get()).hasMessageContaining("2147483647").hasMessageContaining(
                String.valueOf(Limits.PRE_AUTH_MAX_FRAME));
        assertThat(receiver.frames).isEmpty();
        assertThat(allocator.largestRequest.get()).isLessThan(64);
    }

    @Test
    void lengthPrefixIsUnsignedSoAllOnesIsTooLargeRatherThanNegative() throws Exception {
        read(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});

        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString().contains("4294967295");
        assertThat(receiver.frames).isEmpty();
    }

    @Test
    void preAuthenticationLimitAllowsExactlyPreAuthMax() throws Exception {
        byte[] atLimit = payload(Limits.PRE_AUTH_MAX_FRAME, 4);
        read(framed(atLimit));
        assertThat(receiver.nextFrame()).isEqualTo(atLimit);

        read(framed(payload(Limits.PRE_AUTH_MAX_FRAME + 1, 5)));
        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString()
                .contains(String.valueOf(Limits.PRE_AUTH_MAX_FRAME + 1));
        assertThat(receiver.frames).isEmpty();
    }

    @Test
    void authenticatedLinkAcceptsFramesUpToTheMaximumAndNoMore() throws Exception {
        link.authenticated();
        byte[] big = payload(MAX_FRAME, 6);
        read(framed(big));
        assertThat(receiver.nextFrame()).isEqualTo(big);

        read(new byte[] {0, 0x10, 0, 1});
        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString()
                .contains(String.valueOf(MAX_FRAME + 1)).contains(String.valueOf(MAX_FRAME));
    }

    @Test
    void limitRaisedWhileAFrameIsHandledAppliesToTheNextFrameOfTheSameRead() throws Exception {
        // The handshake's last message and the first large frame can arrive in one read.
        receiver.onFrame = (l, frame) -> l.authenticated();
        byte[] handshake = payload(100, 7);
        byte[] large = payload(Limits.PRE_AUTH_MAX_FRAME * 4, 8);
        read(concat(framed(handshake), framed(large)));

        assertThat(receiver.nextFrame()).isEqualTo(handshake);
        assertThat(receiver.nextFrame()).isEqualTo(large);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void garbageClosesTheLink() throws Exception {
        read("GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().isInstanceOf(TransportException.class);
        assertThat(receiver.frames).isEmpty();
        assertThat(receiver.closedCalls).hasValue(1);
    }

    @Test
    void bytesAfterARejectedPrefixAreDiscardedNotDecoded() throws Exception {
        byte[] valid = framed(payload(10, 9));
        read(concat(new byte[] {0x7F, 0, 0, 0}, valid, valid));

        assertThat(receiver.frames).isEmpty();
        assertThat(receiver.closedCalls).hasValue(1);
    }

    @Test
    void connectionClosedInsideAFrameIsReportedAsTheCause() throws Exception {
        byte[] wire = framed(payload(100, 10));
        read(slice(wire, 0, 50));
        channel.close();

        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString()
                .contains("inside a frame");
        assertThat(receiver.closedCalls).hasValue(1);
    }

    @Test
    void orderlyCloseReportsNoCauseExactlyOnce() throws Exception {
        read(framed(payload(3, 11)));
        link.close();
        link.close();
        channel.close();

        assertThat(receiver.awaitClosed()).isEmpty();
        assertThat(receiver.closedCalls).hasValue(1);
        assertThat(link.isOpen()).isFalse();
    }

    @Test
    void receiverThatThrowsClosesTheLinkWithThatCause() throws Exception {
        receiver.onFrame = (l, frame) -> {
            throw new IllegalStateException("boom");
        };
        read(concat(framed(payload(5, 12)), framed(payload(5, 13))));

        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getCause).isInstanceOf(IllegalStateException.class);
        // The second frame of the same read is not delivered to a link that is closing.
        assertThat(receiver.frames).hasSize(1);
    }

    @Test
    void encoderWritesBigEndianLengthThenPayload() {
        byte[] payload = {9, 8, 7};
        assertThat(link.send(payload)).isCompleted();
        ByteBuf out = channel.readOutbound();
        try {
            byte[] wire = new byte[out.readableBytes()];
            out.readBytes(wire);
            assertThat(wire).containsExactly(0, 0, 0, 3, 9, 8, 7);
        } finally {
            out.release();
        }
    }

    @Test
    void sendBeyondTheLinksCurrentLimitFailsAndKeepsTheLinkOpen() {
        var stage = link.send(new byte[Limits.PRE_AUTH_MAX_FRAME + 1]).toCompletableFuture();

        assertThat(stage).isCompletedExceptionally();
        assertThat(stage.handle((v, e) -> e).join()).isInstanceOf(TransportException.class)
                .hasMessageContaining("exceeds the limit");
        assertThat(link.isOpen()).isTrue();
        Object outbound = channel.readOutbound();
        assertThat(outbound).isNull();
    }

    @Test
    void idleLinkIsClosedWithAnIdleCause() throws Exception {
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runPendingTasks();
        read(framed(payload(1, 14)));
        // Reading reset the timer: 4 s more are still within the 5 s timeout.
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isActive()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(channel.isActive()).isFalse();
        assertThat(receiver.awaitClosed()).get().extracting(Throwable::getMessage).asString().contains("nothing read for 5 s");
    }

    private static byte[] slice(byte[] bytes, int from, int length) {
        byte[] part = new byte[length];
        System.arraycopy(bytes, from, part, 0, length);
        return part;
    }

    /** Records the largest buffer the pipeline asked its allocator for. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        final AtomicInteger largestRequest = new AtomicInteger();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largestRequest.accumulateAndGet(initialCapacity, Math::max);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largestRequest.accumulateAndGet(initialCapacity, Math::max);
            return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
