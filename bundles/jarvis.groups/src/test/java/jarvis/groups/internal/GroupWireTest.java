package jarvis.groups.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jarvis.api.Endpoint;
import jarvis.api.groups.GroupService;
import jarvis.groups.internal.GroupWire.Kind;
import jarvis.groups.internal.GroupWire.Member;
import org.junit.jupiter.api.Test;

class GroupWireTest {

    private static final String GROUP = "g0123456789abcdef0123456789abcde";
    private static final String A = "a".repeat(32);
    private static final String B = "b".repeat(32);

    private static Member member(String uid, char key, boolean admin, boolean joined) {
        return new Member(uid, "user " + key, String.valueOf(key).repeat(64), List.of(Endpoint.tcp("127.0.0.1", 7000)),
                admin, joined);
    }

    private static GroupWire.State state() {
        return new GroupWire.State(GROUP, 3, "Team ✓", A, List.of(member(A, 'a', true, true), member(B, 'b', false, false)));
    }

    @Test
    void everyPayloadRoundTrips() throws Exception {
        assertThat(GroupWire.decodeState(GroupWire.encodeState(state()))).isEqualTo(state());
        GroupWire.Response r = new GroupWire.Response(GROUP, Kind.LEAVE);
        assertThat(GroupWire.decodeResponse(GroupWire.encodeResponse(r))).isEqualTo(r);
        GroupWire.Receipt rc = new GroupWire.Receipt(GROUP, Kind.STATE, 3);
        assertThat(GroupWire.decodeReceipt(GroupWire.encodeReceipt(rc))).isEqualTo(rc);
        assertThat(new String(GroupWire.encodeResponse(r), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"group\":\"" + GROUP + "\",\"answer\":\"leave\"}");
    }

    @Test
    void malformedStatesAreRefusedWithAReason() {
        String good = new String(GroupWire.encodeState(state()), StandardCharsets.UTF_8);
        refused(good.replace("\"v\":1", "\"v\":2"), "unknown version");
        refused(good.replace(GROUP, "g0123"), "group id");
        refused(good.replace("\"version\":3", "\"version\":0"), "version outside");
        refused(good.replace("\"version\":3", "\"version\":\"3\""), "version outside");
        refused(good.replace("Team ✓", ""), "'name' is empty");
        refused(good.replace("Team ✓", "a\\u0007b"), "control characters");
        refused(good.replace("\"admin\":true", "\"admin\":false"), "no admin");
        refused(good.replace("\"admin\":true", "\"admin\":1"), "not true or false");
        refused(good.replace(B, A), "listed twice");
        refused(good.replace("b".repeat(64), "B".repeat(64)), "key");
        refused(good.replace("tcp://127.0.0.1:7000", "tcp://127.0.0.1"), "endpoint");
        refused(good.replace(",\"joined\":false", ""), "'joined' is missing");
        refused(good.substring(0, good.length() - 2), "not JSON");
        refused("[]", "not a JSON object");
        refused(good.replace("{\"v\":1", "{\"v\":1,\"v\":1"), "not JSON");
        List<Member> many = new ArrayList<>();
        for (int i = 0; i <= GroupService.MAX_MEMBERS; i++) {
            many.add(new Member(String.format("%032x", i), "m", String.format("%064x", i), List.of(), i == 0, true));
        }
        byte[] tooMany = GroupWire.encodeState(new GroupWire.State(GROUP, 1, "big", A, many));
        assertThatThrownBy(() -> GroupWire.decodeState(tooMany)).isInstanceOf(GroupWire.Malformed.class)
                .hasMessageContaining("1..256");
        assertThatThrownBy(() -> GroupWire.decodeState(new byte[GroupWire.MAX_PAYLOAD_BYTES + 1]))
                .isInstanceOf(GroupWire.Malformed.class).hasMessageContaining("larger than");
    }

    @Test
    void malformedAnswersAndReceiptsAreRefused() {
        assertThatThrownBy(() -> GroupWire.decodeResponse(bytes("{\"v\":1,\"group\":\"" + GROUP + "\",\"answer\":\"state\"}")))
                .isInstanceOf(GroupWire.Malformed.class).hasMessageContaining("not an answer");
        assertThatThrownBy(() -> GroupWire.decodeResponse(bytes("{\"v\":1,\"group\":\"" + GROUP + "\",\"answer\":\"maybe\"}")))
                .isInstanceOf(GroupWire.Malformed.class).hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> GroupWire.decodeReceipt(bytes("{\"v\":1,\"group\":\"" + GROUP + "\",\"kind\":\"state\",\"version\":-1}")))
                .isInstanceOf(GroupWire.Malformed.class).hasMessageContaining("version outside");
    }

    private static void refused(String json, String reason) {
        assertThatThrownBy(() -> GroupWire.decodeState(bytes(json))).as(json).isInstanceOf(GroupWire.Malformed.class)
                .hasMessageContaining(reason);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
