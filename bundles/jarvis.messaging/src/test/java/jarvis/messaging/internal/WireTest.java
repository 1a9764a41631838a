package jarvis.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import jarvis.api.messaging.MessageService;
import org.junit.jupiter.api.Test;

class WireTest {

    private final MessageIds ids = new MessageIds(Clock.systemUTC());

    @Test
    void messageBytesAreAsDocumented() {
        String prev = "0000000000010000000000000000000a";
        String id = "0000000000020000000000000000000b";
        byte[] p = Wire.encodeText(id, prev, null, "hé".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(p)).isEqualTo("01" + id + "01" + prev + "00000003" + "68c3a9");
        assertThat(HexFormat.of().formatHex(Wire.encodeText(id, null, null, new byte[] {0x41})))
                .isEqualTo("01" + id + "00" + "00000001" + "41");
    }

    @Test
    void messageRoundTripsWithAndWithoutPredecessor() throws Exception {
        String a = ids.next();
        String b = ids.next();
        assertThat(Wire.decodeText(Wire.encodeText(b, a, null, utf8("hello")))).isEqualTo(new Wire.Text(b, a, null, "hello"));
        assertThat(Wire.decodeText(Wire.encodeText(a, null, null, utf8("x")))).isEqualTo(new Wire.Text(a, null, null, "x"));
        byte[] max = new byte[MessageService.MAX_TEXT_BYTES];
        java.util.Arrays.fill(max, (byte) 'z');
        assertThat(Wire.decodeText(Wire.encodeText(a, null, null, max)).text()).hasSize(MessageService.MAX_TEXT_BYTES);
        assertThat(Wire.encodeText(b, a, GROUP, max)).hasSize(Wire.MAX_MESSAGE_BYTES);
    }

    private static final String GROUP = "g0123456789abcdef0123456789abcde";

    @Test
    void groupMessageBytesAreAsDocumented() throws Exception {
        String prev = "0000000000010000000000000000000a";
        String id = "0000000000020000000000000000000b";
        byte[] p = Wire.encodeText(id, prev, GROUP, "hé".getBytes(StandardCharsets.UTF_8));
        assertThat(HexFormat.of().formatHex(p)).isEqualTo("01" + id + "03" + prev
                + "00123456789abcdef0123456789abcde" + "00000003" + "68c3a9");
        assertThat(Wire.decodeText(p)).isEqualTo(new Wire.Text(id, prev, GROUP, "hé"));
        assertThat(Wire.decodeText(Wire.encodeText(id, null, GROUP, utf8("x")))).isEqualTo(new Wire.Text(id, null, GROUP, "x"));
        byte[] badGroup = Wire.encodeText(id, null, GROUP, utf8("x"));
        badGroup[18] = (byte) 0x10; // the group id's first nibble must be zero
        assertMalformed(badGroup, "zero nibble");
        assertMalformed(java.util.Arrays.copyOf(badGroup, 1 + 16 + 1 + 10), "group id");
    }

    @Test
    void malformedMessagesAreRefused() {
        String a = ids.next();
        String b = ids.next();
        byte[] good = Wire.encodeText(b, a, null, utf8("hello"));
        assertMalformed(new byte[0], "too short");
        assertMalformed(java.util.Arrays.copyOf(good, good.length - 1), "bytes follow");
        assertMalformed(java.util.Arrays.copyOf(good, good.length + 1), "bytes follow");
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        assertMalformed(badVersion, "unknown version 2");
        byte[] badFlags = good.clone();
        badFlags[17] = 4;
        assertMalformed(badFlags, "unknown message flags");
        assertMalformed(Wire.encodeText(a, b, null, utf8("later predecessor")), "not older");
        assertMalformed(Wire.encodeText(a, null, null, new byte[] {(byte) 0xc3, 0x28}), "UTF-8");
        byte[] huge = ByteBuffer.allocate(1 + 16 + 1 + 4 + 1).put((byte) 1).put(new byte[16]).put((byte) 0)
                .putInt(MessageService.MAX_TEXT_BYTES + 1).put((byte) 'x').array();
        assertMalformed(huge, "outside 1..65536");
        byte[] empty = ByteBuffer.allocate(1 + 16 + 1 + 4 + 1).put((byte) 1).put(new byte[16]).put((byte) 0)
                .putInt(0).put((byte) 'x').array();
        assertMalformed(empty, "outside 1..65536");
    }

    @Test
    void idListsRoundTripAndSplitAtTheLimit() throws Exception {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < Wire.MAX_IDS + 5; i++) {
            many.add(ids.next());
        }
        List<byte[]> payloads = Wire.encodeIds(many);
        assertThat(payloads).hasSize(2);
        List<String> back = new ArrayList<>(Wire.decodeIds(payloads.get(0)));
        back.addAll(Wire.decodeIds(payloads.get(1)));
        assertThat(back).isEqualTo(many);
    }

    @Test
    void malformedIdListsAreRefused() {
        assertThatThrownBy(() -> Wire.decodeIds(new byte[] {1, 0, 0})).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("id count 0");
        assertThatThrownBy(() -> Wire.decodeIds(new byte[] {1, 0, 2, 0})).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("bytes follow");
        assertThatThrownBy(() -> Wire.decodeIds(new byte[] {1, 0x04, 0x01})).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("id count 1025");
        assertThatThrownBy(() -> Wire.decodeIds(new byte[] {9, 0, 1})).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("unknown version");
        assertThatThrownBy(() -> Wire.decodeTyping(new byte[] {1, 1})).isInstanceOf(Wire.Malformed.class);
        assertThatThrownBy(() -> Wire.decodeTyping(new byte[] {2})).isInstanceOf(Wire.Malformed.class);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButMalformed() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] p = new byte[random.nextInt(64)];
            random.nextBytes(p);
            if (p.length > 0 && random.nextBoolean()) {
                p[0] = 1;
            }
            for (int type = Wire.MESSAGE; type <= Wire.TYPING; type++) {
                try {
                    switch (type) {
                        case Wire.MESSAGE -> Wire.decodeText(p);
                        case Wire.TYPING -> Wire.decodeTyping(p);
                        default -> Wire.decodeIds(p);
                    }
                } catch (Wire.Malformed expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                }
            }
        }
    }

    private static void assertMalformed(byte[] payload, String reason) {
        assertThatThrownBy(() -> Wire.decodeText(payload)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining(reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
