package jarvis.legacy.internal;

/** The limits and timings of 1.x links, in the units the code uses. */
record Settings(int maxFrameBytes, int handshakeFrameBytes, long connectTimeoutMillis, long handshakeTimeoutMillis,
        long idleTimeoutMillis, long pingIntervalMillis, int maxLinks, Transcript transcript) {

    /** Handshake payloads are about 200 bytes; nothing larger is read before the peer is known. */
    static final int HANDSHAKE_FRAME_BYTES = 4096;

    /** Frames and drops as they happen, for the log and for tests: types and lengths, never content. */
    interface Transcript {
        void frame(String contactUid, boolean outgoing, int type, int payloadLength);

        void dropped(String contactUid, String why);

        void refused(String peer, String why);
    }

    /** Logs the transcript at DEBUG (frames) and INFO (drops, refusals). */
    static final Transcript LOGGED = new Transcript() {
        private final System.Logger log = System.getLogger("jarvis.legacy.transcript");

        @Override
        public void frame(String contactUid, boolean outgoing, int type, int payloadLength) {
            log.log(System.Logger.Level.DEBUG, (outgoing ? "-> " : "<- ") + contactUid + " " + FrameType.name(type)
                    + " " + payloadLength + " bytes");
        }

        @Override
        public void dropped(String contactUid, String why) {
            log.log(System.Logger.Level.INFO, "dropped from " + contactUid + ": " + why);
        }

        @Override
        public void refused(String peer, String why) {
            log.log(System.Logger.Level.INFO, "refused 1.x connection " + peer + ": " + why);
        }
    };
}
