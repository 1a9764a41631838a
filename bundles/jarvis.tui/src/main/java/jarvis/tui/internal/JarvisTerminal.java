package jarvis.tui.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
