package jarvis.contacts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import jarvis.testing.fuzz.Fuzz;
import jarvis.testing.fuzz.Gen;
import jarvis.testing.fuzz.Mutator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes what people paste and files they are given (docs/storage.md, "Link codes and contact cards"):
 * {@link LinkCode#parse} (jarvis2: codes and Jarvis 1.x jarvis:// codes) and {@link ContactCard#read} (our cards and
 * 1.x .jcard files). Documented refusal: {@link ContactException}. What parses must be a usable invite (name
 * cleaned and at most 64 characters, at most 8 endpoints with ports) whose own link code parses back to it.
 */
class ContactCodesFuzzTest {

    static final String CODES = "link-codes";
    static final String CARDS = "contact-cards";
    static final String KEY_A = LinkCodeTest.KEY_A;
    static final String UID = LinkCodeTest.UID;

    private static Path dir;
    private static final AtomicLong FILES = new AtomicLong();

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("contact-cards-fuzz");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static ContactInvite alice() {
        return new ContactInvite(UID, "Алиса 🌸", KEY_A, List.of(Endpoint.tcp("203.0.113.7", 5000),
                Endpoint.parse("tcp://[2001:db8::1]:5001")), false);
    }

    /** What every parsed invite must be; its own link code must give it back. */
    static void usable(ContactInvite invite) throws ContactException {
        assertThat(invite.username()).isNotEmpty().hasSizeLessThanOrEqualTo(ContactBook.MAX_USERNAME)
                .doesNotMatch("(?s).*\\p{Cntrl}.*").isEqualTo(invite.username().strip());
        assertThat(invite.username().codePoints().noneMatch(c -> Character.isSurrogate((char) c)))
                .as("no unpaired surrogate in %s", invite.username()).isTrue();
        assertThat(invite.endpoints()).hasSizeLessThanOrEqualTo(LinkCode.MAX_ENDPOINTS)
                .allMatch(e -> e.port() > 0);
        ContactInvite again = LinkCode.parse(LinkCode.encode(invite));
        assertThat(again).isEqualTo(new ContactInvite(invite.uid(), invite.username(), invite.publicKey(),
                invite.endpoints(), false));
    }

    /**
     * An input is a code; one that starts with '{' is the JSON inside a 1.x code, which is base64-encoded here so that
     * mutations reach the JSON rather than only breaking the base64.
     */
    static void parseCode(byte[] input) throws ContactException {
        String code = input.length > 0 && input[0] == '{' ? LinkCode.LEGACY_PREFIX
                + Base64.getEncoder().encodeToString(input) : new String(input, StandardCharsets.UTF_8);
        usable(LinkCode.parse(code));
    }

    static void readCard(byte[] input) throws ContactException {
        Path file = dir.resolve("card-" + FILES.incrementAndGet() + ".jcard");
        try {
            Files.write(file, input);
            usable(ContactCard.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String legacyJson(String host, String port, String username) {
        return "{\"uid\": \"" + UID + "\", \"username\": \"" + username + "\", \"public_key\": \""
                + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(KEY_A)) + "\", \"fingerprint\": \""
                + LinkCodeTest.FINGERPRINT_A + "\", \"host\": \"" + host + "\", \"port\": " + port + "}";
    }

    static String legacyCode(String json) {
        return LinkCode.LEGACY_PREFIX + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, byte[]> codeCorpus() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("valid-ours", LinkCode.encode(alice()));
        codes.put("valid-ours-no-endpoints", LinkCode.encode(new ContactInvite(UID, "bob", KEY_A, List.of(), false)));
        List<Endpoint> eight = List.of(Endpoint.tcp("a.example", 1), Endpoint.tcp("b.example", 2),
                Endpoint.tcp("10.0.0.3", 3), Endpoint.tcp("::4", 4), Endpoint.tcp("e", 5), Endpoint.tcp("f", 6),
                Endpoint.tcp("g", 7), Endpoint.tcp("h", 65535));
        codes.put("valid-ours-eight-endpoints", LinkCode.encode(new ContactInvite(UID, "x".repeat(64), KEY_A, eight,
                false)));
        codes.put("valid-jarvis1-vector", LinkCodeTest.LEGACY_CODE);
        codes.put("valid-jarvis1-with-address", legacyCode(legacyJson("198.51.100.2", "5000", "carol")));
        codes.put("bad-ours-check", LinkCode.encode(alice()).replace('A', 'B'));
        codes.put("bad-ours-truncated", LinkCode.encode(alice()).substring(0, 40));
        codes.put("bad-jarvis1-wrong-fingerprint", legacyCode(legacyJson("h", "5000", "m").replace(
                LinkCodeTest.FINGERPRINT_A, "0".repeat(64))));
        codes.put("bad-jarvis1-port-zero", legacyCode(legacyJson("198.51.100.2", "0", "carol")));
        codes.put("bad-no-prefix", "hello");
        codes.put("valid-jarvis1-json", legacyJson("203.0.113.9", "5001", "dave"));
        codes.put("valid-jarvis1-json-ipv6", legacyJson("[2001:db8::2]", "5002", "erin"));
        codes.put("bad-jarvis1-json-no-uid", legacyJson("h", "1", "x").replace("\"uid\"", "\"id\""));
        Map<String, byte[]> files = new LinkedHashMap<>();
        codes.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return files;
    }

    static Map<String, byte[]> cardCorpus() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path ours = dir.resolve("ours.jcard");
        try {
            ContactCard.write(alice(), ours);
        } catch (ContactException e) {
            throw new IOException(e);
        }
        files.put("valid-ours", Files.readAllBytes(ours));
        Files.delete(ours);
        String jarvis1 = "{\n  \"version\": \"1.0\",\n  \"type\": \"jarvis_contact_card\",\n  \"uid\": \"" + UID
                + "\",\n  \"username\": \"alice\",\n  \"public_key\": \"hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=\",\n"
                + "  \"fingerprint\": \"" + LinkCodeTest.FINGERPRINT_A + "\",\n  \"host\": \"localhost\",\n"
                + "  \"port\": 5000,\n  \"exported_at\": \"2025-10-26T12:00:00\"\n}\n";
        files.put("valid-jarvis1", jarvis1.getBytes(StandardCharsets.UTF_8));
        files.put("valid-jarvis1-with-address", jarvis1.replace("localhost", "198.51.100.2")
                .getBytes(StandardCharsets.UTF_8));
        files.put("bad-other-type", "{\"type\":\"something_else\"}".getBytes(StandardCharsets.UTF_8));
        files.put("bad-duplicate-member", jarvis1.replace("\"version\"", "\"port\"").getBytes(StandardCharsets.UTF_8));
        files.put("bad-deep", ("{\"type\":\"jarvis_contact_card\",\"x\":" + "[".repeat(20) + "]".repeat(20) + "}")
                .getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private static final List<byte[]> TOKENS = Mutator.tokens(LinkCode.PREFIX, LinkCode.LEGACY_PREFIX, "{", "}",
            "\"", ":", ",", "\"host\": ", "\"port\": ", "\"link_code\": ", "\"type\": \"jarvis_contact_card\"",
            "\"localhost\"", "\"[\"", "\"[::1]\"", "\"a b\"", "\"x/y\"", "\"\\u0000\"", "\"\\ud83c\"", "65536", "-1",
            "1e9", "null", "[]", "==", "=");

    @Test
    void linkCodesParseToUsableInvitesOrAreRefusedWithContactException() {
        Fuzz.Report report = Fuzz.target(CODES)
                .documented(ContactException.class)
                .tries(10_000)
                .interesting(LinkCode.MAX_LENGTH, LinkCode.MAX_ENDPOINTS, Endpoint.MAX_LENGTH, 255)
                .dictionary(TOKENS)
                .lengths(300, 2 * LinkCode.MAX_LENGTH)
                .maxAllocation(input -> (4L << 20) + 256L * input.length)
                .run(ContactCodesFuzzTest::parseCode);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void contactCardsReadToUsableInvitesOrAreRefusedWithContactException() {
        Fuzz.Report report = Fuzz.target(CARDS)
                .documented(ContactException.class)
                .tries(4000)
                .interesting(ContactCard.MAX_BYTES, 65535)
                .dictionary(TOKENS)
                .lengths(600, ContactCard.MAX_BYTES + 10)
                .maxAllocation(input -> (4L << 20) + 256L * input.length)
                .run(ContactCodesFuzzTest::readCard);
        assertThat(report.accepted()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anyInviteRoundTripsThroughItsLinkCodeAndItsCard() {
        Fuzz.target(CODES + "-round-trip").tries(1000).property(r -> {
            ContactInvite sent = new ContactInvite(Gen.uid(r), ContactBook.sanitize(Gen.text(r,
                    r.nextInt(4) == 0 ? 100 : 20, true)), HexFormat.of().formatHex(Gen.bytes(r, 32)),
                    Gen.endpoints(r, LinkCode.MAX_ENDPOINTS), false);
            String code = LinkCode.encode(sent);
            assertThat(code.length()).isLessThanOrEqualTo(LinkCode.MAX_LENGTH);
            assertThat(LinkCode.parse(code)).isEqualTo(sent);
            Path file = dir.resolve("round-trip-" + FILES.incrementAndGet() + ".jcard");
            ContactCard.write(sent, file);
            try {
                assertThat(ContactCard.read(file)).isEqualTo(sent);
            } finally {
                Files.delete(file);
            }
        });
    }

    @Test
    @EnabledIfSystemProperty(named = Fuzz.WRITE_CORPUS_PROPERTY, matches = "true")
    void writeCorpus() throws IOException {
        Fuzz.writeCorpus(CODES, codeCorpus());
        Fuzz.writeCorpus(CARDS, cardCorpus());
    }
}
