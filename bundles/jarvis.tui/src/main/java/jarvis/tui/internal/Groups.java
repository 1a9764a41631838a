package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.client.JarvisClient;

/**
 * The group commands of the IPC (the groups bundle's contract), kept apart from {@link Daemon} so that
 * a change of that contract touches this class and {@link Group} only. A daemon without the groups
 * bundle answers {@code "available": false}; {@link Daemon#unavailable} tells the UI to hide groups.
 */
public final class Groups {

    private final JarvisClient client;

    public Groups(JarvisClient client) {
        this.client = client;
    }

    /** Whether {@code id} is a group id ({@code g} + 31 lowercase hex) rather than a contact uid. */
    public static boolean isGroupId(String id) {
        return id != null && id.length() == 32 && id.charAt(0) == 'g' && id.substring(1).chars()
                .allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    public CompletableFuture<List<Group>> list() {
        return client.request("get_groups").thenApply(r -> {
            List<Group> groups = new ArrayList<>();
            r.path("groups").forEach(g -> groups.add(Group.from(g)));
            return groups;
        });
    }

    public CompletableFuture<Group> get(String groupId) {
        return group(client.request("get_group", Map.of("group_id", groupId)));
    }

    public CompletableFuture<Group> create(String name, Collection<String> memberUids) {
        return group(client.request("create_group", Map.of("name", name, "member_uids", List.copyOf(memberUids))));
    }

    public CompletableFuture<Group> invite(String groupId, Collection<String> memberUids) {
        return group(client.request("invite_to_group", Map.of("group_id", groupId, "member_uids", List.copyOf(memberUids))));
    }

    public CompletableFuture<Group> removeMember(String groupId, String uid) {
        return group(client.request("remove_group_member", Map.of("group_id", groupId, "uid", uid)));
    }

    public CompletableFuture<Group> rename(String groupId, String name) {
        return group(client.request("rename_group", Map.of("group_id", groupId, "name", name)));
    }

    public CompletableFuture<Group> accept(String groupId) {
        return group(client.request("accept_group", Map.of("group_id", groupId)));
    }

    public CompletableFuture<Group> decline(String groupId) {
        return group(client.request("decline_group", Map.of("group_id", groupId)));
    }

    public CompletableFuture<Group> leave(String groupId) {
        return group(client.request("leave_group", Map.of("group_id", groupId)));
    }

    public CompletableFuture<JsonNode> send(String groupId, String text) {
        return client.request("send_group_message", Map.of("group_id", groupId, "message", text));
    }

    public CompletableFuture<Daemon.Page> messages(String groupId, String before, int limit) {
        Map<String, Object> p = Daemon.params("group_id", groupId, "limit", limit);
        if (before != null) {
            p.put("before", before);
        }
        return client.request("get_group_messages", p).thenApply(Daemon::page);
    }

    public CompletableFuture<JsonNode> markRead(String groupId) {
        return client.request("mark_group_messages_read", Map.of("group_id", groupId));
    }

    public CompletableFuture<Integer> unreadCount(String groupId) {
        return client.request("get_group_unread_count", Map.of("group_id", groupId)).thenApply(r -> r.path("count").asInt());
    }

    private static CompletableFuture<Group> group(CompletableFuture<JsonNode> response) {
        return response.thenApply(r -> Group.from(r.path("group")));
    }
}
