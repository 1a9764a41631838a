package jarvis.legacy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated input for the frame reader and the payload parsers: the only outcomes are a frame,
 * a {@link ProtocolViolation} or an end of input; never another exception, never more than the limit read.
 */
class FrameFuzzTest {

    private static final int ROUNDS = 3000;

    @Test
    void randomAndMutatedBytesOnlyGiveFramesOrCleanRefusals() {
        Random random = new Random(0x1e9ac7L);
        byte[] good = new Frame(FrameType.TEXT_MESSAGE, Payloads.text("00112233445566778899aabbccddeeff",
                java.time.Instant.EPOCH, "{\"nonce1\": \"AQEBAQEBAQEBAQEB\"}")).encode();
        int frames = 0;
        int refused = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = good.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            try {
                Frame f = Frame.read(new DataInputStream(new ByteArrayInputStream(input)), 4096);
                assertThat(f.payload().length).isLessThanOrEqualTo(4096);
                frames++;
                try {
                    Payloads.readText(f.payload(), random.nextBoolean());
                    Payloads.readHello(f.payload());
                } catch (ProtocolViolation expected) {
                    refused++;
                }
            } catch (ProtocolViolation | IOException expected) {
                refused++;
            }
        }
        assertThat(frames).isPositive();
        assertThat(refused).isPositive();
    }
}
