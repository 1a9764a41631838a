package jarvis.legacy.internal;

/** The 1.x message type numbers this side acts on; every other number is skipped. */
final class FrameType {

    static final int HANDSHAKE = 1;
    static final int HANDSHAKE_RESPONSE = 2;
    static final int PING = 3;
    static final int PONG = 4;
    static final int DISCONNECT = 5;
    static final int TEXT_MESSAGE = 10;
    static final int GROUP_MESSAGE = 24;

    private FrameType() {
    }

    static String name(int type) {
        return switch (type) {
            case HANDSHAKE -> "HANDSHAKE";
            case HANDSHAKE_RESPONSE -> "HANDSHAKE_RESPONSE";
            case PING -> "PING";
            case PONG -> "PONG";
            case DISCONNECT -> "DISCONNECT";
            case TEXT_MESSAGE -> "TEXT_MESSAGE";
            case GROUP_MESSAGE -> "GROUP_MESSAGE";
            default -> "type " + type;
        };
    }
}
