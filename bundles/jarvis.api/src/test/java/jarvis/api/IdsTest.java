package jarvis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class IdsTest {

    private static final String FP = "300c9c9603b9" + "0".repeat(52);
    private static final String UID = "0123456789abcdef0123456789abcdef";

    @Test
    void fingerprintIsShownInSixteenGroupsOfFour() {
        String shown = Ids.displayFingerprint(FP);
        assertThat(shown).hasSize(79).startsWith("300c 9c96 03b9 0000");
        assertThat(shown.split(" ")).hasSize(16).allMatch(g -> g.length() == 4);
    }

    @Test
    void uppercaseOrShortIdsAreRejected() {
        assertThat(Ids.isUid(UID)).isTrue();
        assertThat(Ids.isUid(UID.toUpperCase())).isFalse();
        assertThat(Ids.isFingerprint(FP.substring(1))).isFalse();
        assertThatThrownBy(() -> Ids.displayFingerprint("xyz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsValidateTheirIds() {
        assertThatThrownBy(() -> new Contact("nope", "bob", FP, FP, List.of(), false, false))
                .hasMessageContaining("uid");
        assertThatThrownBy(() -> new IdentitySummary(UID, "me", "nope", Instant.EPOCH, false))
                .hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> new Contact(UID, "bob", FP, "ab", List.of(), false, false))
                .hasMessageContaining("public key");
        Contact c = new Contact(UID, "bob", FP, FP, List.of(Endpoint.tcp("127.0.0.1", 5000)), false, false);
        assertThat(c.endpoints()).containsExactly(Endpoint.tcp("127.0.0.1", 5000));
    }

    @Test
    void messageStateMovesWithACopy() {
        Message m = new Message("m1", UID, UID, "hi", Instant.EPOCH, true, DeliveryState.QUEUED);
        assertThat(m.withState(DeliveryState.SENT).state()).isEqualTo(DeliveryState.SENT);
        assertThat(m.state()).isEqualTo(DeliveryState.QUEUED);
    }
}
