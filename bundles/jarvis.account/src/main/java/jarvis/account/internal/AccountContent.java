package jarvis.account.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jarvis.api.account.AccountException;

/**
 * The decrypted content of an account file (docs/storage.md, "Account file content"): typed records in a fixed
 * order — the identity, the schema versions, each table with its rows, the sequences, an end record with counts.
 * Tables are carried generically (name, typed columns, rows), so every table of the store travels, including the
 * ones a later version adds, while values stay typed data: nothing in the file is ever executed as SQL.
 */
final class AccountContent {

    static final int IDENTITY = 1;
    static final int SCHEMA = 2;
    static final int TABLE = 3;
    static final int ROW = 4;
    static final int SEQUENCE = 5;
    static final int END = 6;

    /** A record (a row with a 64 KiB text and a 1 MiB pending group state fits with room). */
    static final int MAX_RECORD = 4 << 20;
    static final int MAX_COLUMNS = 256;
    static final int MAX_TABLES = 1024;
    static final int MAX_IDENTITY = 64 * 1024;
    /** Upper-case SQL identifiers as H2 stores unquoted names; anything else is refused. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Z][A-Z0-9_]{0,62}");
    static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

    /** Column types: how a value is written. */
    enum Type {
        BOOLEAN(1), INTEGER(2), TEXT(3), BYTES(4), TIMESTAMP(5);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) throws AccountException {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw AccountFile.corrupted("unknown column type " + code);
        }
    }

    record Column(String name, Type type) {
    }

    /** What the content holds, in order; a reader calls these as it goes. */
    interface Sink {
        void identity(byte[] identityExport) throws AccountException;

        void schema(String module, int version) throws AccountException;

        void table(String name, List<Column> columns) throws AccountException;

        /** Values are {@code null}, {@link Boolean}, {@link Long}, {@link String}, {@code byte[]} or {@link OffsetDateTime}. */
        void row(Object[] values) throws AccountException;

        void sequence(String name, long next) throws AccountException;

        void end(int tables, long rows) throws AccountException;
    }

    private AccountContent() {
    }

    // --- writing ---

    /** Writes records to the encrypted stream, checking the order as the reader will. */
    static final class Writer implements Sink {
        private final OutputStream out;
        private List<Column> columns;
        private int tables;
        private long rows;

        Writer(OutputStream out) {
            this.out = out;
        }

        private void record(int type, ByteArrayOutputStream body) throws AccountException {
            try {
                out.write(type);
                out.write(ByteBuffer.allocate(4).putInt(body.size()).array());
                body.writeTo(out);
            } catch (IOException e) {
                throw new AccountException(AccountException.Reason.IO, "cannot write the account file: "
                        + e.getMessage(), e);
            }
        }

        @Override
        public void identity(byte[] identityExport) throws AccountException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(identityExport);
            record(IDENTITY, b);
        }

        @Override
        public void schema(String module, int version) throws AccountException {
            Body b = new Body();
            b.name(module);
            b.data.writeInt(version);
            record(SCHEMA, b.bytes);
        }

        @Override
        public void table(String name, List<Column> columns) throws AccountException {
            Body b = new Body();
            b.name(name);
            b.data.writeShort(columns.size());
            for (Column c : columns) {
                b.name(c.name());
                b.data.writeByte(c.type().code);
            }
            this.columns = List.copyOf(columns);
            tables++;
            record(TABLE, b.bytes);
        }

        @Override
        public void row(Object[] values) throws AccountException {
            Body b = new Body();
            for (int i = 0; i < values.length; i++) {
                b.value(columns.get(i), values[i]);
            }
            rows++;
            record(ROW, b.bytes);
        }

        @Override
        public void sequence(String name, long next) throws AccountException {
            Body b = new Body();
            b.name(name);
            b.data.writeLong(next);
            record(SEQUENCE, b.bytes);
        }

        @Override
        public void end(int tables, long rows) throws AccountException {
            Body b = new Body();
            b.data.writeInt(tables);
            b.data.writeLong(rows);
            record(END, b.bytes);
        }

        void end() throws AccountException {
            end(tables, rows);
        }
    }

    /** A record body being built; writes to memory cannot fail, so IOExceptions become errors. */
    private static final class Body {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Data data = new Data(bytes);

        void name(String name) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            data.writeByte(b.length);
            data.write(b);
        }

        void value(Column column, Object value) {
            if (value == null) {
                data.writeByte(0);
                return;
            }
            data.writeByte(1);
            switch (column.type()) {
                case BOOLEAN -> data.writeByte((Boolean) value ? 1 : 0);
                case INTEGER -> data.writeLong(((Number) value).longValue());
                case TEXT -> {
                    byte[] b = ((String) value).getBytes(StandardCharsets.UTF_8);
                    data.writeInt(b.length);
                    data.write(b);
                }
                case BYTES -> {
                    byte[] b = (byte[]) value;
                    data.writeInt(b.length);
                    data.write(b);
                }
                case TIMESTAMP -> {
                    OffsetDateTime t = (OffsetDateTime) value;
                    data.writeLong(t.toEpochSecond());
                    data.writeInt(t.getNano());
                    data.writeInt(t.getOffset().getTotalSeconds());
                }
            }
        }
    }

    private static final class Data {
        private final DataOutputStream out;

        Data(OutputStream out) {
            this.out = new DataOutputStream(out);
        }

        void writeByte(int v) {
            run(() -> out.writeByte(v));
        }

        void writeShort(int v) {
            run(() -> out.writeShort(v));
        }

        void writeInt(int v) {
            run(() -> out.writeInt(v));
        }

        void writeLong(long v) {
            run(() -> out.writeLong(v));
        }

        void write(byte[] b) {
            run(() -> out.write(b));
        }

        private interface Io {
            void run() throws IOException;
        }

        private static void run(Io io) {
            try {
                io.run();
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory failed", e);
            }
        }
    }

    // --- reading ---

    /**
     * Reads every record of {@code in} (the decrypted content) into {@code sink}, checking order, names, types and
     * counts; returns when the end record has been read and nothing follows it.
     *
     * @throws AccountException CORRUPTED for anything malformed, or what the sink throws
     */
    static void read(InputStream in, Sink sink) throws AccountException {
        int stage = 0; // 0 identity, 1 schemas, 2 tables, 3 sequences
        List<Column> columns = null;
        Set<String> tableNames = new HashSet<>();
        Set<String> modules = new HashSet<>();
        Set<String> sequences = new HashSet<>();
        long rows = 0;
        while (true) {
            byte[] head;
            try {
                head = in.readNBytes(5);
            } catch (AccountFile.Failure e) {
                throw e.account();
            } catch (IOException e) {
                throw new AccountException(AccountException.Reason.IO, "cannot read the account file: "
                        + e.getMessage(), e);
            }
            if (head.length < 5) {
                throw AccountFile.corrupted(head.length == 0 ? "no end record" : "a record header is cut off");
            }
            int type = head[0] & 0xff;
            long length = Integer.toUnsignedLong(ByteBuffer.wrap(head, 1, 4).getInt());
            if (length > MAX_RECORD) {
                throw AccountFile.corrupted("a record of " + length + " bytes (at most " + MAX_RECORD + ")");
            }
            ByteBuffer b = ByteBuffer.wrap(AccountFile.readFully(in, (int) length, "content"));
            try {
                switch (type) {
                    case IDENTITY -> {
                        if (stage != 0) {
                            throw AccountFile.corrupted("identity record out of place");
                        }
                        if (length == 0 || length > MAX_IDENTITY) {
                            throw AccountFile.corrupted("identity record of " + length + " bytes");
                        }
                        stage = 1;
                        sink.identity(b.array());
                    }
                    case SCHEMA -> {
                        if (stage != 1) {
                            throw AccountFile.corrupted(stage == 0 ? "no identity record first" : "schema record out of place");
                        }
                        String module = name(b, MODULE, "module");
                        int version = b.getInt();
                        if (version < 1 || !modules.add(module)) {
                            throw AccountFile.corrupted("schema " + module + " version " + version);
                        }
                        done(b);
                        sink.schema(module, version);
                    }
                    case TABLE -> {
                        if (stage != 1 && stage != 2) {
                            throw AccountFile.corrupted(stage == 0 ? "no identity record first" : "table record out of place");
                        }
                        stage = 2;
                        String name = name(b, IDENTIFIER, "table");
                        if (!tableNames.add(name) || tableNames.size() > MAX_TABLES) {
                            throw AccountFile.corrupted("table " + name + " twice, or too many tables");
                        }
                        int n = Short.toUnsignedInt(b.getShort());
                        if (n < 1 || n > MAX_COLUMNS) {
                            throw AccountFile.corrupted("table " + name + " has " + n + " columns");
                        }
                        List<Column> cs = new ArrayList<>(n);
                        Set<String> seen = new HashSet<>();
                        for (int i = 0; i < n; i++) {
                            String c = name(b, IDENTIFIER, "column");
                            if (!seen.add(c)) {
                                throw AccountFile.corrupted("column " + c + " twice in table " + name);
                            }
                            cs.add(new Column(c, Type.of(b.get() & 0xff)));
                        }
                        done(b);
                        columns = List.copyOf(cs);
                        sink.table(name, columns);
                    }
                    case ROW -> {
                        if (stage != 2 || columns == null) {
                            throw AccountFile.corrupted("row outside a table");
                        }
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = value(b, columns.get(i));
                        }
                        done(b);
                        rows++;
                        sink.row(values);
                    }
                    case SEQUENCE -> {
                        if (stage < 1) {
                            throw AccountFile.corrupted("no identity record first");
                        }
                        stage = 3;
                        String name = name(b, IDENTIFIER, "sequence");
                        if (!sequences.add(name)) {
                            throw AccountFile.corrupted("sequence " + name + " twice");
                        }
                        long next = b.getLong();
                        done(b);
                        sink.sequence(name, next);
                    }
                    case END -> {
                        if (stage < 1) {
                            throw AccountFile.corrupted("no identity record first");
                        }
                        int t = b.getInt();
                        long r = b.getLong();
                        done(b);
                        if (t != tableNames.size() || r != rows) {
                            throw AccountFile.corrupted("the end record counts " + t + " tables and " + r
                                    + " rows, the file holds " + tableNames.size() + " and " + rows);
                        }
                        try {
                            if (in.read() >= 0) {
                                throw AccountFile.corrupted("data after the end record");
                            }
                        } catch (AccountFile.Failure e) {
                            throw e.account();
                        } catch (IOException e) {
                            throw new AccountException(AccountException.Reason.IO, "cannot read the account file: "
                                    + e.getMessage(), e);
                        }
                        sink.end(t, r);
                        return;
                    }
                    default -> throw AccountFile.corrupted("unknown record type " + type);
                }
            } catch (BufferUnderflowException e) {
                throw AccountFile.corrupted("a record of type " + type + " is cut short");
            }
        }
    }

    private static void done(ByteBuffer b) throws AccountException {
        if (b.hasRemaining()) {
            throw AccountFile.corrupted(b.remaining() + " stray bytes in a record");
        }
    }

    private static String name(ByteBuffer b, Pattern pattern, String what) throws AccountException {
        int n = b.get() & 0xff;
        byte[] bytes = new byte[n];
        b.get(bytes);
        String s = new String(bytes, StandardCharsets.US_ASCII);
        if (!pattern.matcher(s).matches()) {
            throw AccountFile.corrupted("bad " + what + " name");
        }
        return s;
    }

    private static Object value(ByteBuffer b, Column column) throws AccountException {
        int present = b.get();
        if (present == 0) {
            return null;
        }
        if (present != 1) {
            throw AccountFile.corrupted("bad value marker in column " + column.name());
        }
        return switch (column.type()) {
            case BOOLEAN -> {
                int v = b.get();
                if (v != 0 && v != 1) {
                    throw AccountFile.corrupted("bad boolean in column " + column.name());
                }
                yield v == 1;
            }
            case INTEGER -> b.getLong();
            case TEXT -> {
                byte[] bytes = bytes(b, column);
                try {
                    yield StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw AccountFile.corrupted("text in column " + column.name() + " is not UTF-8");
                }
            }
            case BYTES -> bytes(b, column);
            case TIMESTAMP -> {
                long seconds = b.getLong();
                int nanos = b.getInt();
                int offset = b.getInt();
                try {
                    if (nanos < 0 || nanos > 999_999_999) {
                        throw new DateTimeException("nanoseconds " + nanos);
                    }
                    yield OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos),
                            ZoneOffset.ofTotalSeconds(offset));
                } catch (DateTimeException e) {
                    throw AccountFile.corrupted("bad time in column " + column.name() + ": " + e.getMessage());
                }
            }
        };
    }

    private static byte[] bytes(ByteBuffer b, Column column) throws AccountException {
        long n = Integer.toUnsignedLong(b.getInt());
        if (n > b.remaining()) {
            throw AccountFile.corrupted("value in column " + column.name() + " runs past its record");
        }
        byte[] bytes = new byte[(int) n];
        b.get(bytes);
        return bytes;
    }
}
