package jarvis.shell.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Text helpers shared by the contact and message commands. */
final class ConsoleText {

    /** What replaces a character that could drive the terminal. */
    static final char REPLACEMENT = '\uFFFD';

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ConsoleText() {
    }

    /** A time as the console shows it, to the minute, in {@code zone}. */
    static String time(Instant instant, ZoneId zone) {
        return TIME.format(instant.atZone(zone));
    }

    /**
     * Text that came from a peer (names, messages) made safe to print on one line: a control character
     * (escape sequences could move the cursor, recolour or clear the screen, line ends could forge output
     * lines) or a bidi override (it reorders what follows) becomes {@value #REPLACEMENT}; a tab becomes a
     * space. Callers that keep line structure split the text into lines first.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char safe = c == '\t' ? ' ' : Character.isISOControl(c) || isBidiControl(c) ? REPLACEMENT : c;
            if (safe != c && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(safe);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** An exception's message for the user; the class name if it has none. */
    static String message(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
