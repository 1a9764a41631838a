package jarvis.contacts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCodeTest {

    /** From the Jarvis 1.x vectors: uid 0123…, username alice, key A, host localhost, port 5000. */
    static final String LEGACY_CODE = "jarvis://eyJ1aWQiOiAiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYiLCAidXNlcm5hbWUiOiAiYWxpY2UiLCAicHVibGljX2tleSI6ICJoU0R3Q1lrd3AxUjBpMzNjdEQ3M1dnMi9PZzBtT0JyMDY2U3BqcXFiVG1vPSIsICJmaW5nZXJwcmludCI6ICIzMDBjOWM5NjAzYjkyYTRiMzllZDM5NThiZjkyNDAxMTQ4MDRkYjRmZDM3MzAxMmMwY2E0NzQzMmQ2MzQyNWFlIiwgImhvc3QiOiAibG9jYWxob3N0IiwgInBvcnQiOiA1MDAwfQ==";
    static final String KEY_A = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String FINGERPRINT_A = "300c9c9603b92a4b39ed3958bf9240114804db4fd373012c0ca47432d63425ae";
    static final String UID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private static ContactInvite alice() {
        return new ContactInvite(UID, "Алиса 🌸", KEY_A,
                List.of(Endpoint.tcp("203.0.113.7", 5000), Endpoint.parse("tcp://[2001:db8::1]:5001")), false);
    }

    @Test
    void ourCodeRoundTrips() throws Exception {
        String code = LinkCode.encode(alice());
        assertThat(code).startsWith("jarvis2:").doesNotContain("=").doesNotContain("+").doesNotContain("/");
        assertThat(LinkCode.parse("  " + code + "\n")).isEqualTo(alice());
    }

    @Test
    void theJarvis1VectorCodeIsReadWithItsFingerprintRecomputed() throws Exception {
        ContactInvite invite = LinkCode.parse(LEGACY_CODE);
        assertThat(invite.uid()).isEqualTo(UID);
        assertThat(invite.username()).isEqualTo("alice");
        assertThat(invite.publicKey()).isEqualTo(KEY_A);
        assertThat(ContactBook.fingerprintOf(invite.publicKey())).isEqualTo(FINGERPRINT_A);
        assertThat(invite.endpoints()).as("localhost names no address").isEmpty();
        assertThat(invite.legacy()).isTrue();
    }

    @Test
    void aJarvis1CodeWhoseFingerprintIsNotItsKeysIsRefused() {
        String json = "{\"uid\": \"" + UID + "\", \"username\": \"mallory\", \"public_key\": \""
                + Base64.getEncoder().encodeToString(new byte[32]) + "\", \"fingerprint\": \"" + FINGERPRINT_A
                + "\", \"host\": \"198.51.100.2\", \"port\": 5000}";
        String code = "jarvis://" + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> LinkCode.parse(code)).isInstanceOf(ContactException.class)
                .hasMessageContaining("fingerprint does not belong to its key");
    }

    @Test
    void aJarvis1CodeWithARealHostKeepsIt() throws Exception {
        String json = "{\"uid\": \"" + UID + "\", \"username\": \"alice\", \"public_key\": \""
                + Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(KEY_A))
                + "\", \"fingerprint\": \"" + FINGERPRINT_A + "\", \"host\": \"198.51.100.2\", \"port\": 5000}";
        ContactInvite invite = LinkCode.parse("jarvis://" + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(invite.endpoints()).containsExactly(Endpoint.tcp("198.51.100.2", 5000));
    }

    @Test
    void everySingleCharacterChangeIsCaught() {
        String code = LinkCode.encode(alice());
        int caught = 0;
        for (int i = LinkCode.PREFIX.length(); i < code.length(); i++) {
            char c = code.charAt(i);
            String damaged = code.substring(0, i) + (c == 'A' ? 'B' : 'A') + code.substring(i + 1);
            try {
                LinkCode.parse(damaged);
            } catch (ContactException e) {
                caught++;
            }
        }
        // The last character carries only some bits of the check; changing it may decode to the same bytes.
        assertThat(caught).isGreaterThanOrEqualTo(code.length() - LinkCode.PREFIX.length() - 1);
    }

    @Test
    void badCodesGetClearErrors() {
        String code = LinkCode.encode(alice());
        assertThatThrownBy(() -> LinkCode.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LinkCode.parse("https://example.org")).hasMessageContaining("not a Jarvis link code");
        assertThatThrownBy(() -> LinkCode.parse(code.substring(0, 30))).isInstanceOf(ContactException.class);
        assertThatThrownBy(() -> LinkCode.parse(code + "AAAA")).hasMessageContaining("damaged");
        assertThatThrownBy(() -> LinkCode.parse("jarvis2:" + "A".repeat(5000))).hasMessageContaining("too long");
        assertThatThrownBy(() -> LinkCode.parse("jarvis2:%%%")).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> LinkCode.parse("jarvis://bm90IGpzb24=")).hasMessageContaining("valid JSON");
        assertThatThrownBy(() -> LinkCode.parse("jarvis://" + Base64.getEncoder().encodeToString("{\"uid\":1}".getBytes())))
                .hasMessageContaining("lacks");
    }

    @Test
    void ourCardRoundTripsAndCarriesTheJarvis1Fields() throws Exception {
        Path file = dir.resolve("alice.jcard");
        ContactCard.write(alice(), file);
        assertThat(ContactCard.read(file)).isEqualTo(alice());
        String json = Files.readString(file);
        assertThat(json).contains("\"type\" : \"jarvis_contact_card\"", "\"fingerprint\" : \"" + ContactBook.fingerprintOf(KEY_A),
                "\"host\" : \"203.0.113.7\"", "\"port\" : 5000");
        assertThatThrownBy(() -> ContactCard.write(alice(), file)).hasMessageContaining("exists already");
    }

    @Test
    void aJarvis1CardIsRead() throws Exception {
        Path file = dir.resolve("alice_01234567.jcard");
        Files.writeString(file, "{\n  \"version\": \"1.0\",\n  \"type\": \"jarvis_contact_card\",\n  \"uid\": \"" + UID
                + "\",\n  \"username\": \"alice\",\n  \"public_key\": \"hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=\",\n"
                + "  \"fingerprint\": \"" + FINGERPRINT_A + "\",\n  \"host\": \"localhost\",\n  \"port\": 5000,\n"
                + "  \"exported_at\": \"2025-10-26T12:00:00\"\n}\n");
        ContactInvite invite = ContactCard.read(file);
        assertThat(invite.publicKey()).isEqualTo(KEY_A);
        assertThat(invite.legacy()).isTrue();
    }

    @Test
    void badCardsGetClearErrors() throws Exception {
        assertThatThrownBy(() -> ContactCard.read(dir.resolve("missing.jcard"))).hasMessageContaining("no such file");
        Path big = Files.write(dir.resolve("big.jcard"), new byte[ContactCard.MAX_BYTES + 1]);
        assertThatThrownBy(() -> ContactCard.read(big)).hasMessageContaining("too large");
        Path text = Files.writeString(dir.resolve("t.jcard"), "hello");
        assertThatThrownBy(() -> ContactCard.read(text)).hasMessageContaining("not JSON");
        Path other = Files.writeString(dir.resolve("o.jcard"), "{\"type\":\"something_else\"}");
        assertThatThrownBy(() -> ContactCard.read(other)).hasMessageContaining("type is not");
    }

    /** Found by fuzzing: a 1.x host that is not a host name ("[" threw StringIndexOutOfBounds, "a b" IllegalArgument). */
    @Test
    void aJarvis1CodeWithAnInvalidHostIsRefusedWithAContactException() {
        for (String host : new String[] {"[", "[]", "a b", "x/y", "h:1"}) {
            String json = "{\"uid\": \"" + UID + "\", \"username\": \"n\", \"public_key\": \""
                    + Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(KEY_A)) + "\", \"fingerprint\": \""
                    + FINGERPRINT_A + "\", \"host\": \"" + host + "\", \"port\": 5000}";
            String code = "jarvis://" + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> LinkCode.parse(code)).as(host).isInstanceOf(ContactException.class)
                    .hasMessageContaining("host");
        }
    }

    /** Found by fuzzing: the 64-character cut split a surrogate pair, and could leave a trailing space. */
    @Test
    void aLongNameIsCutOnACharacterBoundaryWithNoTrailingSpace() throws Exception {
        String emoji = "\uD83C\uDF38";
        String cut = ContactBook.sanitize("a".repeat(63) + emoji + "tail");
        assertThat(cut).isEqualTo("a".repeat(63));
        assertThat(ContactBook.sanitize("b".repeat(62) + emoji + "tail")).isEqualTo("b".repeat(62) + emoji);
        assertThat(ContactBook.sanitize("c".repeat(63) + " more")).isEqualTo("c".repeat(63));
        ContactInvite invite = new ContactInvite(UID, ContactBook.sanitize("d".repeat(63) + emoji), KEY_A, List.of(),
                false);
        assertThat(LinkCode.parse(LinkCode.encode(invite))).isEqualTo(invite);
    }
}
