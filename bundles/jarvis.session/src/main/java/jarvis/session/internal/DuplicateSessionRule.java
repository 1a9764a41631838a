package jarvis.session.internal;

import java.util.Arrays;

/**
 * Which of two authenticated sessions with the same contact survives. Both peers see the same pair of
 * sessions with the same initiators, so both reach the same answer without talking: with one initiator the
 * newer session wins (its initiator only redials after giving the older one up); otherwise the session
 * initiated by the smaller static public key (unsigned bytes, the order of their lowercase hex) wins.
 */
final class DuplicateSessionRule {

    private DuplicateSessionRule() {
    }

    /**
     * @param existingInitiator static key of the initiator of the session established first here
     * @param newcomerInitiator static key of the initiator of the later one
     * @return whether the later session replaces the earlier one
     */
    static boolean newcomerWins(byte[] existingInitiator, byte[] newcomerInitiator) {
        int order = Arrays.compareUnsigned(newcomerInitiator, existingInitiator);
        return order <= 0;
    }
}
