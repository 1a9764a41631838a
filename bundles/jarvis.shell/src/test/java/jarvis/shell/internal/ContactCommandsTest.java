package jarvis.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jarvis.api.Contact;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.contacts.ContactService;
import org.junit.jupiter.api.Test;

class ContactCommandsTest {

    static final String BOB_UID = "0123456789abcdef0123456789abcdef";
    static final String CAROL_UID = "fedcba9876543210fedcba9876543210";
    static final String FINGERPRINT = "300c9c9603b92a4b39ed3958bf9240114804db4fd373012c0ca47432d63425ae";
    static final String KEY = "8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f";
    static final Contact BOB = new Contact(BOB_UID, "Bob", FINGERPRINT, KEY,
            List.of(Endpoint.tcp("192.0.2.7", 5000), Endpoint.parse("tcp://[2001:db8::1]:5000")), true, false);
    static final Contact CAROL = new Contact(CAROL_UID, "Carol\u001b[2J", FINGERPRINT, KEY, List.of(), false, true);

    @Test
    void contactTableShowsFlagsAndEndpointsAndNeutralisesEscapes() {
        assertThat(ContactCommands.contactTable(List.of(BOB, CAROL)).lines()).containsExactly(
                "NAME       UID                               VERIFIED  KEY CHANGED  ENDPOINTS",
                "Bob        0123456789abcdef0123456789abcdef  yes       no           tcp://192.0.2.7:5000, tcp://[2001:db8::1]:5000",
                "Carol\uFFFD[2J  fedcba9876543210fedcba9876543210  no        yes          -");
        assertThat(ContactCommands.contactTable(List.of())).startsWith("no contacts yet");
    }

    @Test
    void describeShowsTheFingerprintInGroupsOfFour() {
        assertThat(ContactCommands.describe(BOB).lines()).containsExactly(
                "name         Bob",
                "uid          0123456789abcdef0123456789abcdef",
                "fingerprint  300c 9c96 03b9 2a4b 39ed 3958 bf92 4011 4804 db4f d373 012c 0ca4 7432 d634 25ae",
                "public key   " + KEY,
                "verified     yes",
                "key changed  no",
                "endpoints    tcp://192.0.2.7:5000, tcp://[2001:db8::1]:5000");
        assertThat(ContactCommands.describe(CAROL)).contains("key changed  yes: the peer presented another key")
                .contains("jarvis:verify " + CAROL_UID).contains("endpoints    -");
    }

    @Test
    void legacyContactsAreLabelledInTheTableAndTheDescription() {
        Contact old = new Contact(BOB_UID, "Bob", FINGERPRINT, KEY, List.of(), true, false, true);
        assertThat(ContactCommands.contactTable(List.of(old)).lines()).element(1).asString()
                .startsWith("Bob [legacy]");
        assertThat(ContactCommands.describe(old).lines()).last().asString()
                .isEqualTo("protocol     legacy (no forward secrecy): Jarvis 1.x allowed when jarvis/2 is not up");
        assertThat(ContactCommands.legacyState(old)).startsWith("Jarvis 1.x allowed with Bob: legacy (no forward");
        assertThat(ContactCommands.legacyState(BOB)).isEqualTo("Jarvis 1.x not allowed with Bob (jarvis/2 only)");
    }

    @Test
    void legacyCommandSetsTheFlagAndRefusesAnythingButOnOrOff() {
        ContactCommands commands = new ContactCommands();
        List<Boolean> set = new ArrayList<>();
        commands.service = Fakes.service(ContactService.class, (proxy, method, args) -> switch (method.getName()) {
            case "find" -> Optional.of(BOB);
            case "setLegacy" -> {
                set.add((Boolean) args[1]);
                yield new Contact(BOB_UID, "Bob", FINGERPRINT, KEY, List.of(), true, false, (Boolean) args[1]);
            }
            default -> throw new AssertionError(method.getName());
        });
        assertThat(commands.legacy("Bob", "on")).startsWith("Jarvis 1.x allowed with Bob");
        assertThat(commands.legacy("Bob", "OFF")).startsWith("Jarvis 1.x not allowed with Bob");
        assertThat(commands.legacy("Bob", "maybe")).isEqualTo("say on or off, not 'maybe'");
        assertThat(set).containsExactly(true, false);
    }

    @Test
    void verifiedPrintsTheFingerprintAndSaysWhatChanged() {
        Contact unverified = new Contact(BOB_UID, "Bob", FINGERPRINT, KEY, List.of(), false, false);
        assertThat(ContactCommands.verified(unverified, BOB).lines()).containsExactly(
                "fingerprint of Bob (compare it with the peer's own over another channel, in person or by phone):",
                "  300c 9c96 03b9 2a4b 39ed 3958 bf92 4011 4804 db4f d373 012c 0ca4 7432 d634 25ae",
                "Bob is marked verified");
        assertThat(ContactCommands.verified(BOB, BOB)).endsWith("Bob was already verified");
        assertThat(ContactCommands.verified(CAROL, CAROL)).contains("new key of Carol\uFFFD[2J is marked verified");
    }

    @Test
    void requestTableListsKeysToAnswerWith() {
        String table = ContactCommands.requestTable(List.of(new ContactRequest(CAROL_UID, "Carol", KEY,
                List.of(Endpoint.tcp("198.51.100.2", 6000)), Instant.parse("2025-03-14T09:26:53Z"))),
                ZoneOffset.ofHours(1));
        assertThat(table.lines()).containsExactly(
                "NAME   UID                               PUBLIC KEY                                                        ENDPOINTS                RECEIVED",
                "Carol  fedcba9876543210fedcba9876543210  " + KEY + "  tcp://198.51.100.2:6000  2025-03-14 10:26",
                "answer with jarvis:accept PUBLICKEY or jarvis:reject PUBLICKEY");
        assertThat(ContactCommands.requestTable(List.of(), ZoneOffset.UTC)).isEqualTo("no contact requests");
    }

    @Test
    void addedWarnsAboutLegacyPeers() {
        assertThat(ContactCommands.added(BOB, false))
                .isEqualTo("Bob (" + BOB_UID + ") added, not verified yet: compare the fingerprint with the peer"
                        + " (jarvis:verify " + BOB_UID + ")");
        assertThat(ContactCommands.added(BOB, true)).endsWith("\na Jarvis 1.x peer: messages with it have no forward secrecy");
    }

    @Test
    void commandsSayWhenTheIdentityIsLocked() {
        ContactCommands commands = new ContactCommands();
        assertThat(List.of(commands.contacts(), commands.contact("bob"), commands.add("jarvis2:x"), commands.link(),
                commands.cardImport("bob.card"), commands.cardExport("me.card"), commands.rename("bob", "Robert"),
                commands.verify("bob"), commands.remove("bob"), commands.requests(), commands.accept(KEY),
                commands.reject(KEY))).containsOnly(ContactCommands.LOCKED);
    }

    @Test
    void serviceErrorsComeBackAsTheirMessage() {
        ContactCommands commands = new ContactCommands();
        commands.service = Fakes.service(ContactService.class, (proxy, method, args) -> {
            throw new ContactException("the link code is damaged (checksum mismatch)");
        });
        assertThat(commands.add("jarvis2:garbage")).isEqualTo("the link code is damaged (checksum mismatch)");
        assertThat(commands.contacts()).isEqualTo("the link code is damaged (checksum mismatch)");
    }

    @Test
    void commandsResolveTheContactAndActOnItsUid() {
        List<String> calls = new ArrayList<>();
        ContactCommands commands = new ContactCommands();
        commands.service = Fakes.service(ContactService.class, (proxy, method, args) -> {
            calls.add(method.getName() + (args == null ? "" : " " + String.join(" ", (CharSequence[]) toStrings(args))));
            return switch (method.getName()) {
                case "find" -> "Bob".equals(args[0]) ? Optional.of(BOB) : Optional.empty();
                case "rename" -> new Contact(BOB_UID, (String) args[1], FINGERPRINT, KEY, List.of(), true, false);
                case "verify" -> BOB;
                case "parseLinkCode" -> new ContactInvite(BOB_UID, "Bob", KEY, List.of(), true);
                case "addFromLinkCode" -> BOB;
                case "ownLinkCode" -> "jarvis2:ours";
                default -> null;
            };
        });
        assertThat(commands.rename("Bob", "Robert")).isEqualTo("Bob renamed to Robert");
        assertThat(commands.remove("Bob")).isEqualTo("Bob (" + BOB_UID + ") removed");
        assertThat(commands.verify("Bob")).endsWith("Bob was already verified");
        assertThat(commands.add("jarvis://legacy")).contains("no forward secrecy");
        assertThat(commands.link()).isEqualTo("jarvis2:ours");
        assertThat(commands.reject(KEY)).isEqualTo("request from key " + KEY + " rejected");
        assertThat(commands.accept("not-a-key")).startsWith("not a public key: 'not-a-key'");
        assertThat(commands.remove("Dave")).startsWith("no contact 'Dave': give its uid, or a name");
        assertThat(calls).containsExactly("find Bob", "rename " + BOB_UID + " Robert", "find Bob", "remove " + BOB_UID,
                "find Bob", "verify " + BOB_UID, "parseLinkCode jarvis://legacy", "addFromLinkCode jarvis://legacy",
                "ownLinkCode", "reject " + KEY, "find Dave");
    }

    @Test
    void cardCommandsPassAbsolutePathsAndCheckTheirArguments() {
        List<Object> paths = new ArrayList<>();
        ContactCommands commands = new ContactCommands();
        commands.service = Fakes.service(ContactService.class, (proxy, method, args) -> {
            paths.add(args[0]);
            return method.getName().equals("importCard") ? BOB : null;
        });
        CardImportCommand importer = new CardImportCommand(commands);
        CardExportCommand exporter = new CardExportCommand(commands);
        assertThat(importer.execute(null, List.of("bob.jcard"))).asString().startsWith("Bob (" + BOB_UID + ") added");
        assertThat(exporter.execute(null, List.of("me.card"))).asString()
                .isEqualTo("our contact card was written to " + java.nio.file.Paths.get("me.card").toAbsolutePath());
        assertThat(paths).containsExactly(java.nio.file.Paths.get("bob.jcard").toAbsolutePath(),
                java.nio.file.Paths.get("me.card").toAbsolutePath());
        assertThat(importer.execute(null, List.of())).isEqualTo(CardImportCommand.USAGE);
        assertThat(exporter.execute(null, List.of("a", "b"))).isEqualTo(CardExportCommand.USAGE);
        assertThat(exporter.execute(null, List.of("--help"))).isEqualTo(CardExportCommand.USAGE);
        assertThat(new CardImportCommand(new ContactCommands()).execute(null, List.of("x"))).isEqualTo(ContactCommands.LOCKED);
    }

    private static String[] toStrings(Object[] args) {
        String[] s = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            s[i] = String.valueOf(args[i]);
        }
        return s;
    }
}
