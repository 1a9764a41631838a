package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A group as the groups bundle describes it over IPC ({@code get_group}, {@code group_changed}).
 *
 * @param state {@code invited}, {@code joined}, {@code left} or {@code removed}
 */
public record Group(String groupId, String name, String state, boolean admin, String creatorUid, long version,
        List<Member> members) {

    /** @param status {@code invited} or {@code joined} */
    public record Member(String uid, String username, boolean admin, String status) {
    }

    public Group {
        members = List.copyOf(members);
    }

    public static Group from(JsonNode g) {
        List<Member> members = new ArrayList<>();
        for (JsonNode m : g.path("members")) {
            members.add(new Member(m.path("uid").asText(), SafeText.line(m.path("username").asText()),
                    m.path("admin").asBoolean(), m.path("status").asText()));
        }
        return new Group(g.path("group_id").asText(), SafeText.line(g.path("name").asText()), g.path("state").asText(),
                g.path("is_admin").asBoolean(), g.path("creator_uid").asText(), g.path("version").asLong(), members);
    }

    public boolean joined() {
        return "joined".equals(state);
    }

    public boolean invited() {
        return "invited".equals(state);
    }

    /** Whether the group still belongs in the list (a group we left or were removed from does not). */
    public boolean listed() {
        return joined() || invited();
    }

    /** The member's name, or null. */
    public String memberName(String uid) {
        for (Member m : members) {
            if (m.uid().equals(uid)) {
                return m.username();
            }
        }
        return null;
    }
}
