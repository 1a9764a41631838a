package jarvis.api.groups;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Group membership. One admin (the creator, until it leaves and hands over) changes name and members; every
 * change reaches every member through the group protocol, over the pairwise sessions, with retry until each
 * member acknowledged it. Available while the identity is unlocked. Group messages are sent with
 * {@link jarvis.api.messaging.MessageService#sendToGroup}.
 */
@ProviderType
public interface GroupService {

    /** Most members of a group, the admin included. */
    int MAX_MEMBERS = 256;

    /** Longest group name, in characters. */
    int MAX_NAME = 100;

    /**
     * Creates a group with us as admin and invites the given contacts.
     *
     * @param memberUids contacts to invite (may be empty)
     */
    Group create(String name, Collection<String> memberUids) throws GroupException;

    /** Every group known here, newest change first. */
    List<Group> groups() throws GroupException;

    Optional<Group> group(String groupId) throws GroupException;

    /** Admin: invites more contacts. */
    Group invite(String groupId, Collection<String> memberUids) throws GroupException;

    /** Admin: removes a member (who is told). */
    Group removeMember(String groupId, String memberUid) throws GroupException;

    /** Admin: renames the group. */
    Group rename(String groupId, String name) throws GroupException;

    /** Accepts an invitation. */
    Group accept(String groupId) throws GroupException;

    /** Declines an invitation. */
    Group decline(String groupId) throws GroupException;

    /**
     * Leaves a group. An admin leaving hands the admin role to the earliest-added joined member first, so the
     * group keeps someone who can change it.
     */
    Group leave(String groupId) throws GroupException;

    /**
     * Forgets a group here: leaves or declines it first if needed. Its messages are not touched (delete the
     * conversation for that).
     *
     * @return whether it existed
     */
    boolean delete(String groupId) throws GroupException;
}
