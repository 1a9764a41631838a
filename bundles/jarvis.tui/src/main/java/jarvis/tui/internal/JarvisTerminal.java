package jarvis.tui.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

/**
 * The user's terminal ({@code /dev/tty}) in raw mode, as Lanterna sets it up, plus two things it does
 * not do: flow control is switched off ({@code stty -ixon}), because otherwise the terminal driver
 * swallows Ctrl+S (settings) and Ctrl+Q (quit) as XOFF/XON; and raw bytes can be written between
 * frames, for the OSC 52 clipboard sequence. Ctrl+C arrives as a key (the UI quits cleanly on it).
 * Lanterna restores every terminal setting on close from the {@code stty -g} it saved first.
 */
public final class JarvisTerminal extends UnixTerminal {

    public JarvisTerminal() throws IOException {
        super(System.in, System.out, StandardCharsets.UTF_8, CtrlCBehaviour.TRAP);
    }

    @Override
    protected void canonicalMode(boolean enabled) throws IOException {
        super.canonicalMode(enabled);
        runSTTYCommand(enabled ? "ixon" : "-ixon");
    }

    /**
     * Writes a cell's text. Lanterna encodes {@code char} by {@code char}, which turns each half of a
     * surrogate pair (an emoji) into '?'; here the text is encoded whole, with the same filter of
     * unprintable {@code char}s.
     */
    @Override
    public void putString(String string) throws IOException {
        StringBuilder printable = new StringBuilder(string.length());
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < string.length() && Character.isLowSurrogate(string.charAt(i + 1))) {
                printable.append(c).append(string.charAt(++i));
            } else if (!Character.isSurrogate(c) && TerminalTextUtils.isPrintableCharacter(c)) {
                printable.append(c);
            }
        }
        writeToTerminal(printable.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes as they are (an escape sequence the screen layer does not know). */
    public void writeRaw(byte[] bytes) {
        try {
            writeToTerminal(bytes);
            flush();
        } catch (IOException e) {
            // A terminal that cannot take the sequence cannot take the next frame either; the UI notices then.
        }
    }
}
