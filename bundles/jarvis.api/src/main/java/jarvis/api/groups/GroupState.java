package jarvis.api.groups;

/** Where this account stands in a group. */
public enum GroupState {
    /** An admin invited us; nothing is sent or accepted for the group until we accept. */
    INVITED,
    /** We are a member: we send to and receive from the other joined members. */
    JOINED,
    /** We declined the invitation or left. */
    LEFT,
    /** An admin removed us. */
    REMOVED
}
