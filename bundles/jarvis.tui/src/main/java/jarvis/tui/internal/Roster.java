package jarvis.tui.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the left panel shows: contacts, then groups, each with its online level and unread count; and
 * whether the daemon is reachable at all. Touched on the UI thread only.
 */
public final class Roster {

    /** One line of the left panel. */
    public record Entry(String id, String name, boolean group, OnlineSummary.Level level, int unread,
            boolean keyChanged, boolean invited, boolean legacy) {
    }

    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    private final Map<String, String> states = new HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Integer> unread = new HashMap<>();
    private boolean daemonAway;
    private String ownUid = "";

    public void replaceContacts(List<Contact> list) {
        contacts.clear();
        list.forEach(c -> contacts.put(c.uid(), c));
    }

    public void putContact(Contact c) {
        contacts.put(c.uid(), c);
    }

    public void removeContact(String uid) {
        contacts.remove(uid);
        unread.remove(uid);
        states.remove(uid);
    }

    public Contact contact(String uid) {
        return contacts.get(uid);
    }

    public List<Contact> contacts() {
        List<Contact> list = new ArrayList<>(contacts.values());
        list.sort(Comparator.comparing(c -> c.username().toLowerCase(Locale.ROOT)));
        return list;
    }

    public void replaceStates(Map<String, String> all) {
        states.clear();
        states.putAll(all);
    }

    public void setState(String uid, String state) {
        states.put(uid, state);
    }

    public String state(String uid) {
        return states.getOrDefault(uid, "OFFLINE");
    }

    public boolean online(String uid) {
        return "ONLINE".equals(states.get(uid));
    }

    public void replaceGroups(List<Group> list) {
        groups.clear();
        list.stream().filter(Group::listed).forEach(g -> groups.put(g.groupId(), g));
    }

    public void putGroup(Group g) {
        if (g.listed()) {
            groups.put(g.groupId(), g);
        } else {
            groups.remove(g.groupId());
            unread.remove(g.groupId());
        }
    }

    public Group group(String id) {
        return groups.get(id);
    }

    public void setUnread(String id, int count) {
        unread.put(id, Math.max(0, count));
    }

    public void addUnread(String id) {
        unread.merge(id, 1, Integer::sum);
    }

    public int unread(String id) {
        return unread.getOrDefault(id, 0);
    }

    public boolean daemonAway() {
        return daemonAway;
    }

    public void setDaemonAway(boolean away) {
        daemonAway = away;
    }

    public void setOwnUid(String uid) {
        ownUid = uid == null ? "" : uid;
    }

    public String ownUid() {
        return ownUid;
    }

    /** Whether the id names a known contact or group. */
    public boolean has(String id) {
        return contacts.containsKey(id) || groups.containsKey(id);
    }

    /** The display name of a sender: "You", a contact's name, a group member's name, else the uid's start. */
    public String senderName(String uid, String groupId) {
        if (uid.equals(ownUid)) {
            return "You";
        }
        Contact c = contacts.get(uid);
        if (c != null) {
            return c.username();
        }
        Group g = groupId == null ? null : groups.get(groupId);
        String member = g == null ? null : g.memberName(uid);
        return member != null ? member : uid.substring(0, Math.min(8, uid.length()));
    }

    /** The left panel: contacts by name, then groups by name. */
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        for (Contact c : contacts()) {
            OnlineSummary.Level level = daemonAway ? OnlineSummary.Level.GREY
                    : online(c.uid()) ? OnlineSummary.Level.GREEN : OnlineSummary.Level.RED;
            list.add(new Entry(c.uid(), c.username(), false, level, unread(c.uid()), c.keyChanged(), false,
                    c.legacy()));
        }
        List<Group> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparing(g -> g.name().toLowerCase(Locale.ROOT)));
        for (Group g : sorted) {
            list.add(new Entry(g.groupId(), g.name(), true, groupLevel(g), unread(g.groupId()), false, g.invited(),
                    false));
        }
        return list;
    }

    /** A group is green when every other joined member is online, amber when some are, red when none are. */
    OnlineSummary.Level groupLevel(Group g) {
        List<Boolean> others = new ArrayList<>();
        for (Group.Member m : g.members()) {
            if (!m.uid().equals(ownUid) && "joined".equals(m.status())) {
                others.add(online(m.uid()));
            }
        }
        if (!daemonAway && others.isEmpty()) {
            return OnlineSummary.Level.GREEN;
        }
        return OnlineSummary.of(daemonAway, others).level();
    }

    /** The status line. */
    public OnlineSummary summary() {
        List<Boolean> all = new ArrayList<>();
        contacts.keySet().forEach(uid -> all.add(online(uid)));
        return OnlineSummary.of(daemonAway, all);
    }

    public void clear() {
        contacts.clear();
        states.clear();
        groups.clear();
        unread.clear();
    }
}
