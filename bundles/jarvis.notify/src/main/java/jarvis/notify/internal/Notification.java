package jarvis.notify.internal;

/**
 * What one notification says. Title "Message from NAME" (1.x wording); the body is the start of the
 * text. Both are peer-controlled, so control characters and bidi overrides become U+FFFD: a desktop
 * notification server may interpret markup or escapes, and the text must read as it was sent.
 */
record Notification(String title, String body) {

    /** 1.x showed the first 100 characters. */
    static final int BODY_CHARS = 100;

    static Notification of(String senderName, boolean group, String text) {
        String name = clean(senderName);
        String title = group ? "Group message from " + name : "Message from " + name;
        String body = clean(text);
        if (body.length() > BODY_CHARS) {
            int end = BODY_CHARS;
            if (Character.isHighSurrogate(body.charAt(end - 1))) {
                end--;
            }
            body = body.substring(0, end) + "…";
        }
        return new Notification(title, body);
    }

    static String clean(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bidi = c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' || c == '\u200E'
                    || c == '\u200F' || c == '\u061C';
            b.append(c == '\n' || c == '\t' ? ' ' : Character.isISOControl(c) || bidi ? '\uFFFD' : c);
        }
        return b.toString();
    }
}
