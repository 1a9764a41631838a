package jarvis.groups.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jarvis.api.Endpoint;
import jarvis.api.groups.Group;
import jarvis.api.groups.GroupMember;
import jarvis.api.groups.GroupState;
import jarvis.groups.internal.GroupWire.Kind;
import jarvis.groups.internal.GroupWire.Member;

/**
 * SQL over the group tables (docs/storage.md, "Groups"); every method runs inside a store call. A group's members
 * are rewritten as a whole whenever it changes: they are few, and the admin's state replaces them as a whole.
 */
final class GroupRecords {

    static final String MODULE = "groups";

    /** Shipped scripts are never edited; a change is a new script. */
    static final List<String> SCRIPTS = List.of("""
            CREATE TABLE grp (
              id CHAR(32) PRIMARY KEY,
              name VARCHAR(400) NOT NULL,
              creator_uid CHAR(32) NOT NULL,
              version BIGINT NOT NULL,
              state SMALLINT NOT NULL,
              updated_at BIGINT NOT NULL);
            CREATE TABLE grp_member (
              group_id CHAR(32) NOT NULL,
              position INT NOT NULL,
              uid CHAR(32) NOT NULL,
              username VARCHAR(256) NOT NULL,
              public_key CHAR(64) NOT NULL,
              endpoints VARCHAR(4000) NOT NULL,
              admin BOOLEAN NOT NULL,
              joined BOOLEAN NOT NULL,
              PRIMARY KEY (group_id, uid));
            CREATE TABLE grp_pending (
              group_id CHAR(32) NOT NULL,
              contact_uid CHAR(32) NOT NULL,
              kind SMALLINT NOT NULL,
              version BIGINT NOT NULL,
              seq BIGINT NOT NULL,
              payload VARBINARY(1048576) NOT NULL,
              PRIMARY KEY (group_id, contact_uid, kind));
            CREATE INDEX grp_pending_contact ON grp_pending(contact_uid, seq);
            CREATE SEQUENCE grp_pending_seq;
            """);

    /** A group as stored: the admin's state plus where we stand. */
    record Stored(String id, String name, String creatorUid, long version, GroupState state, List<Member> members,
            long updatedAt) {
        Stored {
            members = List.copyOf(members);
        }

        Member member(String uid) {
            return members.stream().filter(m -> m.uid().equals(uid)).findFirst().orElse(null);
        }

        boolean isAdmin(String uid) {
            Member m = member(uid);
            return m != null && m.admin();
        }

        GroupWire.State wire() {
            return new GroupWire.State(id, version, name, creatorUid, members);
        }

        Group view() {
            return new Group(id, name, creatorUid, version, state, members.stream()
                    .map(m -> new GroupMember(m.uid(), m.username(), m.publicKey(), m.admin(), m.joined())).toList(),
                    Instant.ofEpochMilli(updatedAt));
        }
    }

    /** One payload still owed to a member, with the version a receipt must reach to settle it. */
    record Pending(String groupId, String contactUid, Kind kind, long version, byte[] payload) {
    }

    private GroupRecords() {
    }

    static Optional<Stored> find(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name, creator_uid, version, state, updated_at FROM grp WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(c, r)) : Optional.empty();
            }
        }
    }

    /** Every group, the latest change first. */
    static List<Stored> all(Connection c) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name, creator_uid, version, state, updated_at FROM grp ORDER BY updated_at DESC, id");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(row(c, r));
            }
        }
        return out;
    }

    private static Stored row(Connection c, ResultSet r) throws SQLException {
        String id = r.getString(1);
        return new Stored(id, r.getString(2), r.getString(3), r.getLong(4), GroupState.values()[r.getInt(5)],
                members(c, id), r.getLong(6));
    }

    private static List<Member> members(Connection c, String groupId) throws SQLException {
        List<Member> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT uid, username, public_key, endpoints, admin, joined "
                + "FROM grp_member WHERE group_id = ? ORDER BY position")) {
            p.setString(1, groupId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String e = r.getString(4);
                    List<Endpoint> endpoints = e.isEmpty() ? List.of()
                            : Arrays.stream(e.split(" ")).map(Endpoint::parse).toList();
                    out.add(new Member(r.getString(1), r.getString(2), r.getString(3), endpoints, r.getBoolean(5),
                            r.getBoolean(6)));
                }
            }
        }
        return out;
    }

    /** Inserts or replaces the group and all its members. */
    static void save(Connection c, Stored g) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO grp KEY (id) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, g.id());
            p.setString(2, g.name());
            p.setString(3, g.creatorUid());
            p.setLong(4, g.version());
            p.setInt(5, g.state().ordinal());
            p.setLong(6, g.updatedAt());
            p.executeUpdate();
        }
        deleteMembers(c, g.id());
        try (PreparedStatement p = c.prepareStatement("INSERT INTO grp_member VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Member m : g.members()) {
                p.setString(1, g.id());
                p.setInt(2, position++);
                p.setString(3, m.uid());
                p.setString(4, m.username());
                p.setString(5, m.publicKey());
                p.setString(6, String.join(" ", m.endpoints().stream().map(Endpoint::toString).toList()));
                p.setBoolean(7, m.admin());
                p.setBoolean(8, m.joined());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static boolean delete(Connection c, String id) throws SQLException {
        deleteMembers(c, id);
        try (PreparedStatement p = c.prepareStatement("DELETE FROM grp_pending WHERE group_id = ? AND kind = ?")) {
            // Answers we still owe stay (the admin must hear that we left); our own states are moot now.
            p.setString(1, id);
            p.setInt(2, Kind.STATE.ordinal());
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM grp WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() > 0;
        }
    }

    private static void deleteMembers(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM grp_member WHERE group_id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    /** Owes {@code payload} to a member; replaces an older payload of the same kind for the same group. */
    static void owe(Connection c, Pending pending) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO grp_pending KEY (group_id, contact_uid, kind) "
                + "VALUES (?, ?, ?, ?, NEXT VALUE FOR grp_pending_seq, ?)")) {
            p.setString(1, pending.groupId());
            p.setString(2, pending.contactUid());
            p.setInt(3, pending.kind().ordinal());
            p.setLong(4, pending.version());
            p.setBytes(5, pending.payload());
            p.executeUpdate();
        }
    }

    /** What is owed to a contact, in the order it was queued. */
    static List<Pending> owedTo(Connection c, String contactUid) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT group_id, kind, version, payload FROM grp_pending "
                + "WHERE contact_uid = ? ORDER BY seq")) {
            p.setString(1, contactUid);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Pending(r.getString(1), contactUid, Kind.values()[r.getInt(2)], r.getLong(3),
                            r.getBytes(4)));
                }
            }
        }
        return out;
    }

    static List<String> contactsOwed(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT contact_uid FROM grp_pending");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** A receipt settles what is owed of that kind up to its version; returns whether something was settled. */
    static boolean settle(Connection c, String groupId, String contactUid, Kind kind, long version)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM grp_pending WHERE group_id = ? AND contact_uid = ? "
                + "AND kind = ? AND version <= ?")) {
            p.setString(1, groupId);
            p.setString(2, contactUid);
            p.setInt(3, kind.ordinal());
            p.setLong(4, version);
            return p.executeUpdate() > 0;
        }
    }
}
