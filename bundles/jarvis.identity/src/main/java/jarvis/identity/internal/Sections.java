package jarvis.identity.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jarvis.api.identity.IdentityException;
import jarvis.crypto.Secrets;

/**
 * The plaintext inside a key file: a versioned list of typed sections, so that an account export can grow
 * (contacts, groups, ...) without a new envelope. Bytes: format version (u16), section count (u16), then per
 * section its type (u16), length (u32) and bytes. Readers skip section types they do not know.
 */
final class Sections {

    /** Version of the section list layout. */
    static final int FORMAT_VERSION = 1;
    /** The identity record ({@link IdentityRecord}); present exactly once in every key file. */
    static final int IDENTITY = 1;

    private static final int MAX_SECTIONS = 1024;

    /** One section; {@code data} may hold secrets and is wiped by {@link #wipe}. */
    record Section(int type, byte[] data) {
    }

    private Sections() {
    }

    static byte[] encode(List<Section> sections) {
        int length = 4;
        for (Section s : sections) {
            length += 6 + s.data().length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.putShort((short) FORMAT_VERSION).putShort((short) sections.size());
        for (Section s : sections) {
            out.putShort((short) s.type()).putInt(s.data().length).put(s.data());
        }
        return out.array();
    }

    /** Parses a section list; the returned sections own fresh arrays (the input can be wiped). */
    static List<Section> decode(byte[] plaintext, String label) throws IdentityException {
        ByteBuffer in = ByteBuffer.wrap(plaintext);
        List<Section> sections = new ArrayList<>();
        try {
            int version = Short.toUnsignedInt(in.getShort());
            if (version != FORMAT_VERSION) {
                throw Failures.corrupted(label, "content format " + version + " is not supported by this Jarvis");
            }
            int count = Short.toUnsignedInt(in.getShort());
            if (count > MAX_SECTIONS) {
                throw Failures.corrupted(label, "too many sections");
            }
            for (int i = 0; i < count; i++) {
                int type = Short.toUnsignedInt(in.getShort());
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw Failures.corrupted(label, "section " + type + " is truncated");
                }
                byte[] data = new byte[length];
                in.get(data);
                sections.add(new Section(type, data));
            }
            if (in.hasRemaining()) {
                throw Failures.corrupted(label, "bytes after the last section");
            }
            return sections;
        } catch (BufferUnderflowException e) {
            wipe(sections);
            throw Failures.corrupted(label, "section list truncated");
        } catch (IdentityException e) {
            wipe(sections);
            throw e;
        }
    }

    /** The identity record of a section list; exactly one identity section must be present. */
    static IdentityRecord identity(List<Section> sections, String label) throws IdentityException {
        Section found = null;
        for (Section s : sections) {
            if (s.type() == IDENTITY) {
                if (found != null) {
                    throw Failures.corrupted(label, "more than one identity section");
                }
                found = s;
            }
        }
        if (found == null) {
            throw Failures.corrupted(label, "no identity section");
        }
        return IdentityRecord.decode(found.data(), label);
    }

    static void wipe(List<Section> sections) {
        for (Section s : sections) {
            Secrets.wipe(s.data());
        }
    }
}
