package jarvis.tui.internal;

import com.googlecode.lanterna.gui2.Label;

/** A label with a turning mark, so a slow step (Argon2id takes a second or more) visibly works. */
public final class Spinner extends Label {

    private static final String FRAMES = "◐◓◑◒";

    private String text = "";
    private int frame;
    private boolean spinning;

    public Spinner() {
        super("");
    }

    public void start(String what) {
        text = what;
        spinning = true;
        show();
    }

    public void stop(String message) {
        spinning = false;
        text = message;
        setText(message);
    }

    public boolean spinning() {
        return spinning;
    }

    /** Next frame; the UI's ticker calls it on the UI thread. */
    public void tick() {
        if (spinning) {
            frame = (frame + 1) % FRAMES.length();
            show();
        }
    }

    private void show() {
        setText(text + " " + FRAMES.charAt(frame));
    }
}
