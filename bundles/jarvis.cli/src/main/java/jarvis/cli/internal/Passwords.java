package jarvis.cli.internal;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads passwords as {@code char[]}: from the terminal without echo, or (scripts) one line from
 * standard input. Never a {@link String}, never an argument, never an environment variable: those end
 * up in the process list, shell history or /proc. Every intermediate buffer is wiped.
 */
public final class Passwords {

    /** Longer input is refused rather than buffered without bound. */
    static final int MAX_BYTES = 4096;

    private Passwords() {
    }

    /**
     * The password for an existing identity.
     *
     * @param console the terminal, or {@code null} to read one line from {@code stdin}
     */
    public static char[] read(Console console, InputStream stdin, String prompt) throws CliException {
        if (console != null) {
            char[] password = console.readPassword("%s", prompt);
            if (password == null) {
                throw new CliException(ExitCode.ERROR, "no password entered");
            }
            return password;
        }
        return readLine(stdin);
    }

    /** A new password: asked twice on a terminal (a typo would lock the user out), once from stdin. */
    public static char[] readNew(Console console, InputStream stdin) throws CliException {
        if (console == null) {
            return readLine(stdin);
        }
        char[] first = read(console, stdin, "New password: ");
        char[] second = read(console, stdin, "Repeat the password: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new CliException(ExitCode.ERROR, "the passwords differ");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    /** One line of UTF-8 from {@code in}, without its {@code \n} or {@code \r\n}. */
    static char[] readLine(InputStream in) throws CliException {
        byte[] bytes = new byte[MAX_BYTES];
        int n = 0;
        boolean sawNewline = false;
        try {
            // Byte by byte: reading ahead would swallow input meant for later, and a BufferedReader
            // would keep a copy of the password in its buffer.
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    sawNewline = true;
                    break;
                }
                if (n == MAX_BYTES) {
                    throw CliException.usage("the password line on stdin is longer than " + MAX_BYTES + " bytes");
                }
                bytes[n++] = (byte) b;
            }
            if (n > 0 && bytes[n - 1] == '\r') {
                n--;
            }
            if (n == 0 && !sawNewline) {
                throw CliException.usage("no password: standard input is not a terminal and is empty"
                        + " (scripts pass the password as one line on stdin)");
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer chars = CharBuffer.allocate(n);
            try {
                CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, 0, n), chars, true);
                if (result.isError()) {
                    throw CliException.usage("the password on stdin is not UTF-8 text");
                }
                decoder.flush(chars);
                chars.flip();
                char[] password = new char[chars.remaining()];
                chars.get(password);
                return password;
            } finally {
                Arrays.fill(chars.array(), '\0');
            }
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "cannot read the password from stdin: " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
