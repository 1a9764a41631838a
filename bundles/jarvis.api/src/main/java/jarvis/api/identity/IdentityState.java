package jarvis.api.identity;

/** Where the local identity stands. */
public enum IdentityState {

    /** No identity exists in the data directory: create or import one. */
    NONE,

    /** An identity exists but its keys are not in memory: unlock it with the password. */
    LOCKED,

    /** The keys are in memory; sessions and the store can use them. */
    UNLOCKED
}
