package jarvis.api.groups;

import java.util.Objects;

import jarvis.api.Ids;

/**
 * A member as the group's admin describes it.
 *
 * @param uid       the member's uid
 * @param username  the member's name as the admin knows it
 * @param publicKey the member's identity key (64 hex), so members who are not yet contacts can reach each other
 * @param admin     whether the member may change the group
 * @param joined    whether the member accepted the invitation (only joined members receive group messages)
 */
public record GroupMember(String uid, String username, String publicKey, boolean admin, boolean joined) {

    public GroupMember {
        if (!Ids.isUid(uid)) {
            throw new IllegalArgumentException("uid must be 32 lowercase hex characters");
        }
        Objects.requireNonNull(username, "username");
        if (!Ids.isPublicKey(publicKey)) {
            throw new IllegalArgumentException("public key must be 64 lowercase hex characters");
        }
    }
}
