package jarvis.messaging.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jarvis.api.messaging.MessageService;

/**
 * The bytes of the messaging protocol (docs/protocol.md, "Messaging protocol"). Decoding is strict: exact
 * lengths, known version, strict UTF-8; anything else is a {@link Malformed} and is dropped by the caller.
 */
final class Wire {

    static final int MESSAGE = 16;
    static final int ACK = 17;
    static final int READ = 18;
    static final int TYPING = 19;

    static final int VERSION = 1;
    /** Most ids in one ACK or READ payload. */
    static final int MAX_IDS = 1024;
    /** Largest MESSAGE payload: version, id, flags, prev, group, length, text. */
    static final int MAX_MESSAGE_BYTES = 1 + 16 + 1 + 16 + 16 + 4 + MessageService.MAX_TEXT_BYTES;
    /** Largest payload of any of our types; bigger ones are dropped before they are queued. */
    static final int MAX_PAYLOAD_BYTES = Math.max(MAX_MESSAGE_BYTES, 1 + 2 + 16 * MAX_IDS);

    private static final int FLAG_PREV = 0x01;
    private static final int FLAG_GROUP = 0x02;

    /**
     * A MESSAGE as it travels: id (which carries the author's timestamp), predecessor, the group it belongs to
     * ({@code null} for a one-to-one message), text.
     */
    record Text(String id, String prevId, String groupId, String text) {
    }

    /** Why a payload was dropped; the text never includes message content. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason);
        }
    }

    private Wire() {
    }

    static byte[] encodeText(String id, String prevId, String groupId, byte[] utf8) {
        ByteBuffer b = ByteBuffer.allocate(1 + 16 + 1 + (prevId == null ? 0 : 16) + (groupId == null ? 0 : 16) + 4
                + utf8.length);
        int flags = (prevId == null ? 0 : FLAG_PREV) | (groupId == null ? 0 : FLAG_GROUP);
        b.put((byte) VERSION).put(MessageIds.toBytes(id)).put((byte) flags);
        if (prevId != null) {
            b.put(MessageIds.toBytes(prevId));
        }
        if (groupId != null) {
            // "g" + 31 hex digits travel as the 16 bytes of "0" + those digits.
            b.put(MessageIds.toBytes("0" + groupId.substring(1)));
        }
        b.putInt(utf8.length).put(utf8);
        return b.array();
    }

    static Text decodeText(byte[] p) throws Malformed {
        if (p.length < 1 + 16 + 1 + 4 + 1) {
            throw new Malformed("message of " + p.length + " bytes is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(p);
        version(b);
        String id = MessageIds.fromBytes(p, 1);
        b.position(17);
        int flags = b.get() & 0xff;
        if ((flags & ~(FLAG_PREV | FLAG_GROUP)) != 0) {
            throw new Malformed("unknown message flags " + flags);
        }
        String prev = null;
        if ((flags & FLAG_PREV) != 0) {
            if (b.remaining() < 16 + 4) {
                throw new Malformed("message truncated in its predecessor id");
            }
            prev = MessageIds.fromBytes(p, b.position());
            b.position(b.position() + 16);
            if (prev.compareTo(id) >= 0) {
                throw new Malformed("predecessor id is not older than the message id");
            }
        }
        String group = null;
        if ((flags & FLAG_GROUP) != 0) {
            if (b.remaining() < 16 + 4) {
                throw new Malformed("message truncated in its group id");
            }
            String hex = MessageIds.fromBytes(p, b.position());
            if (hex.charAt(0) != '0') {
                throw new Malformed("group id does not start with a zero nibble");
            }
            group = "g" + hex.substring(1);
            b.position(b.position() + 16);
        }
        long length = b.getInt() & 0xffffffffL;
        if (length == 0 || length > MessageService.MAX_TEXT_BYTES) {
            throw new Malformed("text length " + length + " outside 1.." + MessageService.MAX_TEXT_BYTES);
        }
        if (b.remaining() != length) {
            throw new Malformed("text length " + length + " but " + b.remaining() + " bytes follow");
        }
        return new Text(id, prev, group, strictUtf8(b));
    }

    static List<byte[]> encodeIds(List<String> ids) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MAX_IDS) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + MAX_IDS));
            ByteBuffer b = ByteBuffer.allocate(1 + 2 + 16 * part.size());
            b.put((byte) VERSION).putShort((short) part.size());
            part.forEach(id -> b.put(MessageIds.toBytes(id)));
            out.add(b.array());
        }
        return out;
    }

    static List<String> decodeIds(byte[] p) throws Malformed {
        if (p.length < 3) {
            throw new Malformed("id list of " + p.length + " bytes is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(p);
        version(b);
        int n = b.getShort() & 0xffff;
        if (n == 0 || n > MAX_IDS) {
            throw new Malformed("id count " + n + " outside 1.." + MAX_IDS);
        }
        if (b.remaining() != 16 * n) {
            throw new Malformed("id count " + n + " but " + b.remaining() + " bytes follow");
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(MessageIds.fromBytes(p, 3 + 16 * i));
        }
        return ids;
    }

    static byte[] encodeTyping() {
        return new byte[] {VERSION};
    }

    static void decodeTyping(byte[] p) throws Malformed {
        if (p.length != 1) {
            throw new Malformed("typing payload of " + p.length + " bytes");
        }
        version(ByteBuffer.wrap(p));
    }

    private static void version(ByteBuffer b) throws Malformed {
        int v = b.get() & 0xff;
        if (v != VERSION) {
            throw new Malformed("unknown version " + v);
        }
    }

    private static String strictUtf8(ByteBuffer b) throws Malformed {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("text is not valid UTF-8");
        }
    }
}
