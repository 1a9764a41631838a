package jarvis.tui.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Copies text to the user's clipboard with the OSC 52 escape sequence: the terminal emulator does the
 * copying, so it works over SSH and inside tmux (with {@code set-clipboard on}) and needs no X11 or
 * Wayland tool. Terminals that do not support it ignore the sequence.
 */
public final class Clipboard {

    /** Terminals cap OSC 52 payloads (xterm at 100 000 bytes); a link code is far below that. */
    static final int MAX_BYTES = 74_994;

    private final Consumer<byte[]> terminal;

    /** @param terminal writes raw bytes to the terminal (between frames, on the UI thread) */
    public Clipboard(Consumer<byte[]> terminal) {
        this.terminal = terminal;
    }

    /** Whether the text was sent to the terminal (false if it is too long for the sequence). */
    public boolean copy(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_BYTES) {
            return false;
        }
        terminal.accept(sequence(utf8));
        return true;
    }

    /** ESC ] 52 ; c ; base64 BEL. */
    static byte[] sequence(byte[] utf8) {
        String s = "\u001b]52;c;" + Base64.getEncoder().encodeToString(utf8) + "\u0007";
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
