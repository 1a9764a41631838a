package jarvis.api.groups;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jarvis.api.Ids;

/**
 * A group as this account knows it.
 *
 * @param id         {@code g} followed by 31 lowercase hex characters (the 1.x group id format)
 * @param name       the group's name
 * @param creatorUid who created it
 * @param version    the admin's revision of name and members; every change by an admin increments it
 * @param state      where this account stands
 * @param members    every member, this account included while it is one, in the order they were added
 * @param updatedAt  when this account last changed the group's record
 */
public record Group(String id, String name, String creatorUid, long version, GroupState state,
        List<GroupMember> members, Instant updatedAt) {

    public Group {
        if (!Ids.isGroupId(id)) {
            throw new IllegalArgumentException("a group id is g followed by 31 lowercase hex characters");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(creatorUid, "creatorUid");
        Objects.requireNonNull(state, "state");
        members = List.copyOf(members);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Optional<GroupMember> member(String uid) {
        return members.stream().filter(m -> m.uid().equals(uid)).findFirst();
    }

    public boolean isAdmin(String uid) {
        return member(uid).map(GroupMember::admin).orElse(false);
    }

    /** Joined members other than {@code selfUid}: who a group message goes to. */
    public List<String> recipients(String selfUid) {
        return members.stream().filter(m -> m.joined() && !m.uid().equals(selfUid)).map(GroupMember::uid).toList();
    }
}
