package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;

import jarvis.client.CommandFailedException;
import jarvis.client.JarvisClient;

/**
 * The daemon as the UI needs it: one method per IPC command it uses (docs/ipc.md), results turned into
 * the UI's records. Everything is asynchronous; callers hop back to the UI thread themselves. The group
 * commands are in {@link Groups}.
 */
public final class Daemon {

    /** A conversation page. */
    public record Page(List<ChatMessage> messages, boolean more) {
    }

    private final JarvisClient client;

    public Daemon(JarvisClient client) {
        this.client = client;
    }

    public JarvisClient client() {
        return client;
    }

    public CompletableFuture<JsonNode> status() {
        return client.status();
    }

    public CompletableFuture<JsonNode> createIdentity(String username, char[] password) {
        return client.request("create_identity", params("username", username, "password", password))
                .whenComplete((r, e) -> wipe(password));
    }

    public CompletableFuture<JsonNode> unlock(char[] password) {
        return client.request("unlock", params("password", password)).whenComplete((r, e) -> wipe(password));
    }

    public CompletableFuture<JsonNode> lock() {
        return client.request("lock");
    }

    public CompletableFuture<JsonNode> identity() {
        return client.request("get_identity").thenApply(r -> r.path("identity"));
    }

    public CompletableFuture<List<Contact>> contacts() {
        return client.request("get_contacts").thenApply(r -> {
            List<Contact> list = new ArrayList<>();
            r.path("contacts").forEach(c -> list.add(Contact.from(c)));
            return list;
        });
    }

    public CompletableFuture<Contact> contact(String uid) {
        return client.request("get_contact", params("uid", uid)).thenApply(r -> Contact.from(r.path("contact")));
    }

    /** uid → state name (OFFLINE, CONNECTING, HANDSHAKING, ONLINE, REFUSED). */
    public CompletableFuture<Map<String, String>> connectionStates() {
        return client.request("get_connection_status").thenApply(r -> {
            Map<String, String> states = new HashMap<>();
            r.path("states").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().asText()));
            return states;
        });
    }

    /** The peer's session health (remote, rtt, since, reconnects), or a missing node if there is no session. */
    public CompletableFuture<JsonNode> peer(String uid) {
        return client.request("get_peers").thenApply(r -> {
            for (JsonNode p : r.path("peers")) {
                if (uid.equals(p.path("uid").asText())) {
                    return p;
                }
            }
            return r.path("none");
        });
    }

    public CompletableFuture<Integer> unreadCount(String uid) {
        return client.request("get_unread_count", params("uid", uid)).thenApply(r -> r.path("count").asInt());
    }

    public CompletableFuture<Page> messages(String uid, String before, int limit) {
        Map<String, Object> p = params("uid", uid, "limit", limit);
        if (before != null) {
            p.put("before", before);
        }
        return client.request("get_messages", p).thenApply(Daemon::page);
    }

    public CompletableFuture<JsonNode> send(String uid, String text) {
        return client.request("send_message", params("uid", uid, "message", text));
    }

    public CompletableFuture<JsonNode> markRead(String uid) {
        return client.request("mark_messages_read", params("uid", uid));
    }

    public CompletableFuture<JsonNode> typing(String uid) {
        return client.request("typing", params("uid", uid));
    }

    public CompletableFuture<String> linkCode() {
        return client.request("get_link_code").thenApply(r -> r.path("link_code").asText());
    }

    public CompletableFuture<Contact> addByLinkCode(String code) {
        return client.request("add_contact_link", params("link_code", code)).thenApply(r -> Contact.from(r.path("contact")));
    }

    public CompletableFuture<Contact> importCard(String absolutePath) {
        return client.request("import_contact_card", params("path", absolutePath))
                .thenApply(r -> Contact.from(r.path("contact")));
    }

    /** By hand: the fingerprint, when given, must match the key (the daemon checks). */
    public CompletableFuture<Contact> addByHand(String uid, String username, String publicKey, String fingerprint,
            List<String> endpoints) {
        Map<String, Object> p = params("uid", uid, "username", username, "public_key", publicKey, "endpoints", endpoints);
        if (fingerprint != null && !fingerprint.isBlank()) {
            p.put("fingerprint", fingerprint);
        }
        return client.request("add_contact", p).thenApply(r -> Contact.from(r.path("contact")));
    }

    public CompletableFuture<Contact> verify(String uid) {
        return client.request("verify_contact", params("uid", uid)).thenApply(r -> Contact.from(r.path("contact")));
    }

    public CompletableFuture<JsonNode> removeContact(String uid) {
        return client.request("remove_contact", params("uid", uid));
    }

    public CompletableFuture<JsonNode> connect(String uid) {
        return client.request("connect_to_peer", params("uid", uid));
    }

    public CompletableFuture<JsonNode> exportCard(String absolutePath) {
        return client.request("export_contact_card", params("path", absolutePath));
    }

    public CompletableFuture<JsonNode> exportAccount(String absolutePath, char[] password) {
        return client.request("export_account", params("filepath", absolutePath, "password", password))
                .whenComplete((r, e) -> wipe(password));
    }

    public CompletableFuture<JsonNode> changePassword(char[] oldPassword, char[] newPassword) {
        return client.request("change_password", params("old_password", oldPassword, "new_password", newPassword))
                .whenComplete((r, e) -> {
                    wipe(oldPassword);
                    wipe(newPassword);
                });
    }

    public CompletableFuture<JsonNode> deleteAccount(char[] password) {
        return client.request("delete_account", params("password", password)).whenComplete((r, e) -> wipe(password));
    }

    static Page page(JsonNode r) {
        List<ChatMessage> list = new ArrayList<>();
        r.path("messages").forEach(m -> list.add(ChatMessage.from(m)));
        return new Page(list, r.path("more").asBoolean());
    }

    /** The daemon's words for a failure, without the Java wrapping: what the user reads. */
    public static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CommandFailedException f) {
            return SafeText.line(f.error());
        }
        return SafeText.line(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** The daemon's {@code reason} field of a failure (e.g. WRONG_PASSWORD), or "". */
    public static String reasonCode(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof CommandFailedException f ? f.response().path("reason").asText("") : "";
    }

    /** Whether the failure says the service is not in this daemon ({@code "available": false}). */
    public static boolean unavailable(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof CommandFailedException f && f.response().has("available")
                && !f.response().path("available").asBoolean(true);
    }

    static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // The request is encoded before request() returns; the copy in the caller's buffer goes now.
    private static void wipe(char[] secret) {
        java.util.Arrays.fill(secret, '\0');
    }
}
