package jarvis.tui.internal;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Button;

/** Our link code as a QR code, for a contact to scan from the screen. */
final class QrScreen extends Dialog {

    QrScreen(App app, String linkCode) {
        super(app, "Link code");
        QrCode code = QrCode.encode(linkCode);
        TerminalSize needed = QrView.sizeOf(code);
        TerminalSize terminal = app.gui().getScreen().getTerminalSize();
        if (needed.getColumns() + 4 > terminal.getColumns() || needed.getRows() + 6 > terminal.getRows()) {
            paragraph("The QR code needs a terminal of at least " + (needed.getColumns() + 4) + " x "
                    + (needed.getRows() + 6) + " characters; this one is " + terminal.getColumns() + " x "
                    + terminal.getRows() + ". Enlarge the window (or the font smaller) and open it again.", 60);
        } else {
            add(new QrView(code));
            text("QR version " + code.version() + ", level " + code.ecc() + ": scan it with the contact's device");
        }
        Button close = new Button("Close", this::close);
        buttons(close);
        close.takeFocus();
    }
}
