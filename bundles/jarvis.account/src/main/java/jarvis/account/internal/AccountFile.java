package jarvis.account.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import jarvis.api.account.AccountException;
import jarvis.crypto.Aead;
import jarvis.crypto.Argon2id;
import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.ConstantTime;
import jarvis.crypto.Hkdf;
import jarvis.crypto.Secrets;

/**
 * The encrypted envelope of an account file (docs/storage.md, "Account file"): a clear header with the Argon2id
 * cost, salt and a key check, then the content as a sequence of AES-256-GCM chunks of at most
 * {@value #MAX_CHUNK} bytes. Each chunk's nonce holds its index and its associated data the whole header and
 * whether it is the last one, so chunks cannot be reordered, dropped, moved to another file or cut off at the end
 * without the reader noticing. Reading and writing stream: memory stays at one chunk whatever the history's size.
 */
final class AccountFile {

    static final byte[] MAGIC = "JARVISAC".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int KDF_ARGON2ID = 1;
    static final int SALT_LENGTH = 16;
    static final int NONCE_PREFIX_LENGTH = 8;
    static final int CHECK_LENGTH = 16;
    /** Plaintext bytes per chunk. */
    static final int MAX_CHUNK = 1 << 20;
    /** At most 4096 chunks: the content of an account file is at most 4 GiB. */
    static final int MAX_CHUNKS = 4096;
    /** Same bounds as the identity file: a crafted header cannot make the daemon allocate gigabytes. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_LANES = 16;

    private static final byte[] KEY_INFO = "jarvis/2 account file key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHECK_INFO = "jarvis/2 account file check".getBytes(StandardCharsets.US_ASCII);
    static final String LABEL = "account file";

    private AccountFile() {
    }

    static AccountException corrupted(String what) {
        return new AccountException(AccountException.Reason.CORRUPTED, LABEL + " is corrupted: " + what);
    }

    /** The keys made from the password and the header's salt and cost. */
    private record Keys(byte[] content, byte[] check) {
        static Keys derive(char[] password, byte[] salt, Argon2id.Cost cost) {
            byte[] stretched = Argon2id.derive(password, salt, cost, 32);
            try {
                return new Keys(Hkdf.SHA256.derive(null, stretched, KEY_INFO, Aead.KEY_LENGTH),
                        Hkdf.SHA256.derive(null, stretched, CHECK_INFO, CHECK_LENGTH));
            } finally {
                Secrets.wipe(stretched);
            }
        }

        void wipe() {
            Secrets.wipe(content, check);
        }
    }

    /** Writes the content into chunks; {@link #close()} seals the last chunk (the file is incomplete without it). */
    static final class Writer extends OutputStream {

        private final OutputStream out;
        private final byte[] header;
        private final byte[] noncePrefix;
        private final Keys keys;
        private final byte[] buffer = new byte[MAX_CHUNK];
        private int filled;
        private int index;
        private boolean closed;

        Writer(OutputStream out, char[] password, Argon2id.Cost cost, SecureRandom random) throws IOException {
            this.out = out;
            byte[] salt = new byte[SALT_LENGTH];
            random.nextBytes(salt);
            noncePrefix = new byte[NONCE_PREFIX_LENGTH];
            random.nextBytes(noncePrefix);
            keys = Keys.derive(password, salt, cost);
            ByteBuffer h = ByteBuffer.allocate(headerLength(SALT_LENGTH));
            h.put(MAGIC).putShort((short) VERSION).put((byte) KDF_ARGON2ID).putInt(cost.memoryKiB())
                    .putInt(cost.iterations()).putInt(cost.parallelism()).put((byte) SALT_LENGTH).put(salt)
                    .put(noncePrefix).put(keys.check());
            header = h.array();
            out.write(header);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("account file already closed");
            }
            while (len > 0) {
                if (filled == buffer.length) {
                    seal(false);
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            if (index >= MAX_CHUNKS) {
                throw new IOException("the account is larger than an account file can hold ("
                        + (long) MAX_CHUNKS * MAX_CHUNK + " bytes)");
            }
            byte[] plain = Arrays.copyOf(buffer, filled);
            byte[] sealed = Aead.AES_256_GCM.seal(keys.content(), nonce(noncePrefix, index), associated(header, last),
                    plain);
            Secrets.wipe(plain);
            out.write(last ? 1 : 0);
            out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
            out.write(sealed);
            index++;
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                seal(true);
                out.flush();
            } finally {
                closed = true;
                Secrets.wipe(buffer);
                keys.wipe();
            }
        }
    }

    /**
     * Reads an account file's content: checks the header and the password, then decrypts chunk by chunk as the
     * content is read. Every problem is an {@link AccountException} (wrapped in {@link Failure} while inside
     * {@link InputStream} methods).
     */
    static final class Reader extends InputStream {

        private final InputStream in;
        private final byte[] header;
        private final byte[] noncePrefix;
        private final Keys keys;
        private byte[] chunk = new byte[0];
        private int position;
        private int index;
        private boolean last;

        /**
         * Reads and checks the header and derives the keys.
         *
         * @throws AccountException CORRUPTED (not an account file, absurd cost), WRONG_PASSWORD
         */
        Reader(InputStream in, char[] password) throws AccountException {
            this.in = in;
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            byte[] fixed = readFully(in, MAGIC.length + 2 + 1 + 12 + 1, "header");
            h.writeBytes(fixed);
            ByteBuffer b = ByteBuffer.wrap(fixed);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupted("not an account file (wrong magic)");
            }
            int version = Short.toUnsignedInt(b.getShort());
            if (version != VERSION) {
                throw corrupted("unsupported format version " + version);
            }
            int kdf = Byte.toUnsignedInt(b.get());
            if (kdf != KDF_ARGON2ID) {
                throw corrupted("unknown key derivation " + kdf);
            }
            long memory = Integer.toUnsignedLong(b.getInt());
            long iterations = Integer.toUnsignedLong(b.getInt());
            long lanes = Integer.toUnsignedLong(b.getInt());
            if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || lanes > MAX_LANES) {
                throw corrupted("Argon2id cost above m = 1 GiB, t = 64, p = 16");
            }
            Argon2id.Cost cost;
            try {
                cost = Argon2id.Cost.of((int) memory, (int) iterations, (int) lanes);
            } catch (IllegalArgumentException e) {
                throw corrupted("bad Argon2id cost: " + e.getMessage());
            }
            int saltLength = Byte.toUnsignedInt(b.get());
            if (saltLength < 16 || saltLength > 64) {
                throw corrupted("salt length " + saltLength + " outside 16..64");
            }
            byte[] rest = readFully(in, saltLength + NONCE_PREFIX_LENGTH + CHECK_LENGTH, "header");
            h.writeBytes(rest);
            header = h.toByteArray();
            byte[] salt = Arrays.copyOfRange(rest, 0, saltLength);
            noncePrefix = Arrays.copyOfRange(rest, saltLength, saltLength + NONCE_PREFIX_LENGTH);
            byte[] check = Arrays.copyOfRange(rest, saltLength + NONCE_PREFIX_LENGTH, rest.length);
            keys = Keys.derive(password, salt, cost);
            if (!ConstantTime.equals(check, keys.check())) {
                keys.wipe();
                throw new AccountException(AccountException.Reason.WRONG_PASSWORD, "wrong password");
            }
        }

        /** The whole header (magic to key check), for tests and tools. */
        byte[] header() {
            return header.clone();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == chunk.length) {
                if (last) {
                    return -1;
                }
                try {
                    nextChunk();
                } catch (AccountException e) {
                    throw new Failure(e);
                }
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        private void nextChunk() throws AccountException {
            if (index >= MAX_CHUNKS) {
                throw corrupted("more than " + MAX_CHUNKS + " chunks");
            }
            byte[] head = readFully(in, 5, "chunk " + index);
            int flag = head[0];
            if (flag != 0 && flag != 1) {
                throw corrupted("chunk " + index + " has flag " + flag);
            }
            long length = Integer.toUnsignedLong(ByteBuffer.wrap(head, 1, 4).getInt());
            if (length < Aead.TAG_LENGTH || length > MAX_CHUNK + Aead.TAG_LENGTH) {
                throw corrupted("chunk " + index + " has length " + length);
            }
            byte[] sealed = readFully(in, (int) length, "chunk " + index);
            Secrets.wipe(chunk);
            try {
                chunk = Aead.AES_256_GCM.open(keys.content(), nonce(noncePrefix, index), associated(header, flag == 1),
                        sealed);
            } catch (AuthenticationFailedException e) {
                throw corrupted("chunk " + index + " does not authenticate (modified)");
            }
            position = 0;
            index++;
            if (flag == 1) {
                last = true;
                try {
                    if (in.read() >= 0) {
                        throw corrupted("bytes after the last chunk");
                    }
                } catch (IOException e) {
                    throw new AccountException(AccountException.Reason.IO, "cannot read the " + LABEL + ": "
                            + e.getMessage(), e);
                }
            }
        }

        @Override
        public void close() {
            Secrets.wipe(chunk);
            keys.wipe();
        }
    }

    /** An {@link AccountException} carried through {@link InputStream} methods. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(AccountException cause) {
            super(cause.getMessage(), cause);
        }

        AccountException account() {
            return (AccountException) getCause();
        }
    }

    static int headerLength(int saltLength) {
        return MAGIC.length + 2 + 1 + 12 + 1 + saltLength + NONCE_PREFIX_LENGTH + CHECK_LENGTH;
    }

    private static byte[] nonce(byte[] prefix, int index) {
        return ByteBuffer.allocate(Aead.NONCE_LENGTH).put(prefix).putInt(index).array();
    }

    private static byte[] associated(byte[] header, boolean last) {
        byte[] ad = Arrays.copyOf(header, header.length + 1);
        ad[header.length] = (byte) (last ? 1 : 0);
        return ad;
    }

    static byte[] readFully(InputStream in, int n, String what) throws AccountException {
        try {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new AccountException(AccountException.Reason.CORRUPTED,
                        LABEL + " is truncated (in the " + what + ")");
            }
            return b;
        } catch (Failure e) {
            throw e.account();
        } catch (EOFException e) {
            throw new AccountException(AccountException.Reason.CORRUPTED, LABEL + " is truncated (in the " + what + ")");
        } catch (IOException e) {
            throw new AccountException(AccountException.Reason.IO, "cannot read the " + LABEL + ": " + e.getMessage(),
                    e);
        }
    }
}
