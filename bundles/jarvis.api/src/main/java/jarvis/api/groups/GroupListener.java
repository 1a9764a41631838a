package jarvis.api.groups;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: told after a change to a group is stored. Calls must not block. */
@ConsumerType
public interface GroupListener {

    /**
     * A group was created, an invitation arrived, or name, members or our state changed.
     *
     * @param previous the group before, or {@code null} when it is new here
     */
    void groupChanged(Group previous, Group current);

    /** The group was deleted here (never at the other members). */
    void groupRemoved(Group group);
}
