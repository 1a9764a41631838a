package jarvis.crypto;

/**
 * The Noise handshake patterns jarvis/2 uses (Noise Protocol Framework rev 34 section 7.5). Both give mutual
 * authentication, forward secrecy and hide the initiator's identity from passive observers.
 */
public enum NoisePattern {

    /** The initiator already knows the responder's static key (a contact): one round trip. */
    IK,

    /** Neither side knows the other's key in advance (first contact); keys are checked after the fact. */
    XX
}
