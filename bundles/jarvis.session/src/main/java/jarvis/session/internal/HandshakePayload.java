package jarvis.session.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jarvis.api.Endpoint;
import jarvis.api.Ids;

/**
 * What a handshake message carries inside Noise: the session protocol versions (offered by the initiator,
 * the chosen one from the responder) and, where the pattern lets it travel encrypted, who the sender says
 * it is. Binary and bounded; bytes after the known fields are ignored so later versions can append fields.
 *
 * @param versions  offered (initiator) or chosen (responder, exactly one)
 * @param uid       the sender's uid, or empty when the message reveals no identity (XX message 1)
 * @param username  the sender's name, empty with an empty uid
 * @param endpoints where the sender listens
 */
record HandshakePayload(byte[] versions, String uid, String username, List<Endpoint> endpoints) {

    static final int MAX_LENGTH = 4096;
    static final int MAX_VERSIONS = 8;
    static final int MAX_ENDPOINTS = 8;
    static final int MAX_USERNAME_BYTES = 255;

    HandshakePayload {
        versions = versions.clone();
        endpoints = List.copyOf(endpoints);
    }

    static HandshakePayload versionsOnly(byte[] versions) {
        return new HandshakePayload(versions, "", "", List.of());
    }

    boolean hasIdentity() {
        return !uid.isEmpty();
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(versions.length);
        out.writeBytes(versions);
        byte[] uidBytes = uid.getBytes(StandardCharsets.US_ASCII);
        out.write(uidBytes.length);
        out.writeBytes(uidBytes);
        byte[] name = truncateUtf8(username, MAX_USERNAME_BYTES);
        out.write(name.length);
        out.writeBytes(name);
        int count = Math.min(endpoints.size(), MAX_ENDPOINTS);
        out.write(count);
        for (int i = 0; i < count; i++) {
            byte[] text = endpoints.get(i).toString().getBytes(StandardCharsets.US_ASCII);
            out.write(text.length >>> 8);
            out.write(text.length & 0xff);
            out.writeBytes(text);
        }
        return out.toByteArray();
    }

    static HandshakePayload decode(byte[] bytes) throws ProtocolViolation {
        if (bytes.length > MAX_LENGTH) {
            throw new ProtocolViolation("handshake payload of " + bytes.length + " bytes exceeds " + MAX_LENGTH);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int versionCount = in.get() & 0xff;
            if (versionCount == 0 || versionCount > MAX_VERSIONS) {
                throw new ProtocolViolation("handshake payload offers " + versionCount + " versions");
            }
            byte[] versions = new byte[versionCount];
            in.get(versions);
            byte[] uidBytes = new byte[in.get() & 0xff];
            in.get(uidBytes);
            String uid = new String(uidBytes, StandardCharsets.US_ASCII);
            if (!uid.isEmpty() && !Ids.isUid(uid)) {
                throw new ProtocolViolation("handshake payload carries a malformed uid");
            }
            byte[] name = new byte[in.get() & 0xff];
            in.get(name);
            String username = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
            int endpointCount = in.get() & 0xff;
            if (endpointCount > MAX_ENDPOINTS) {
                throw new ProtocolViolation("handshake payload lists " + endpointCount + " endpoints");
            }
            List<Endpoint> endpoints = new ArrayList<>(endpointCount);
            for (int i = 0; i < endpointCount; i++) {
                int length = in.getShort() & 0xffff;
                if (length > Endpoint.MAX_LENGTH) {
                    throw new ProtocolViolation("handshake payload endpoint of " + length + " bytes");
                }
                byte[] text = new byte[length];
                in.get(text);
                endpoints.add(Endpoint.parse(new String(text, StandardCharsets.US_ASCII)));
            }
            if (uid.isEmpty() && (!username.isEmpty() || !endpoints.isEmpty())) {
                throw new ProtocolViolation("handshake payload names no uid but carries identity fields");
            }
            return new HandshakePayload(versions, uid, username, endpoints);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ProtocolViolation("handshake payload truncated");
        } catch (CharacterCodingException e) {
            throw new ProtocolViolation("handshake payload username is not UTF-8");
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("handshake payload endpoint: " + e.getMessage());
        }
    }

    /** The highest version both sides speak, or -1. */
    static int choose(byte[] offered, byte[] supported) {
        int best = -1;
        for (byte o : offered) {
            for (byte s : supported) {
                if (o == s) {
                    best = Math.max(best, o & 0xff);
                }
            }
        }
        return best;
    }

    private static byte[] truncateUtf8(String text, int max) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= max) {
            return utf8;
        }
        int end = max;
        // Never cut a multi-byte character in half: back up to the start of the one that does not fit.
        while (end > 0 && (utf8[end] & 0xc0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(utf8, end);
    }
}
