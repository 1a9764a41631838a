package jarvis.contacts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jarvis.api.Contact;
import jarvis.api.ContactListener;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactRequest;
import jarvis.api.session.SecurityEvent;
import jarvis.store.internal.H2Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactBookTest {

    private static final String BOB_UID = "0123456789abcdef0123456789abcdef";
    // The X25519 base point's encoding: a valid public key with a well-known SHA-256.
    private static final String BOB_KEY = "0900000000000000000000000000000000000000000000000000000000000000";
    private static final String CAROL_UID = "fedcba9876543210fedcba9876543210";
    private static final String CAROL_KEY = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

    @TempDir
    Path dir;

    private H2Store store;
    private ContactBook book;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        store = H2Store.open(dir, key);
        book = new ContactBook(store);
        book.addListener(new ContactListener() {
            @Override
            public void contactAdded(Contact contact) {
                events.add("added " + contact.username());
            }

            @Override
            public void contactChanged(Contact previous, Contact current) {
                events.add("changed " + previous.username() + "->" + current.username());
            }

            @Override
            public void contactRemoved(Contact contact) {
                events.add("removed " + contact.username());
            }
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void addedContactCarriesTheFingerprintComputedFromItsKey() throws Exception {
        Contact bob = book.add(BOB_UID, "  Bob ", BOB_KEY, List.of(Endpoint.tcp("127.0.0.1", 5000)));
        assertThat(bob.username()).isEqualTo("Bob");
        assertThat(bob.fingerprint()).isEqualTo(ContactBook.fingerprintOf(BOB_KEY)).hasSize(64).isNotEqualTo(BOB_KEY);
        assertThat(bob.verified()).isFalse();
        assertThat(book.byPublicKey(BOB_KEY)).contains(bob);
        assertThat(book.byUid(BOB_UID)).contains(bob);
        assertThat(book.find("bob")).contains(bob);
        assertThat(events).containsExactly("added Bob");
    }

    @Test
    void contactsSurviveReopeningTheStore() throws Exception {
        book.add(BOB_UID, "Bob", BOB_KEY, List.of(Endpoint.parse("tcp://[::1]:5001")));
        store.close();
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        store = H2Store.open(dir, key);
        ContactBook again = new ContactBook(store);
        assertThat(again.contacts()).singleElement().satisfies(c -> {
            assertThat(c.uid()).isEqualTo(BOB_UID);
            assertThat(c.endpoints()).containsExactly(Endpoint.parse("tcp://[::1]:5001"));
        });
    }

    @Test
    void duplicatesAndBadFieldsAreRefusedWithReasons() throws Exception {
        book.add(BOB_UID, "Bob", BOB_KEY, List.of());
        assertThatThrownBy(() -> book.add(BOB_UID, "Bob2", CAROL_KEY, List.of())).isInstanceOf(ContactException.class)
                .hasMessageContaining("already a contact");
        assertThatThrownBy(() -> book.add(CAROL_UID, "Carol", BOB_KEY, List.of())).hasMessageContaining("key is already");
        assertThatThrownBy(() -> book.add("xyz", "C", CAROL_KEY, List.of())).hasMessageContaining("uid");
        assertThatThrownBy(() -> book.add(CAROL_UID, "C", "00", List.of())).hasMessageContaining("public key");
        assertThatThrownBy(() -> book.add(CAROL_UID, " ", CAROL_KEY, List.of())).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> book.add(CAROL_UID, "a\u0007b", CAROL_KEY, List.of())).hasMessageContaining("control");
        assertThatThrownBy(() -> book.add(CAROL_UID, "C", CAROL_KEY, List.of(Endpoint.tcp("h", 0))))
                .hasMessageContaining("no port");
        assertThat(book.contacts()).hasSize(1);
    }

    @Test
    void renameEndpointsVerifyAndRemoveAreAnnounced() throws Exception {
        book.add(BOB_UID, "Bob", BOB_KEY, List.of());
        book.rename(BOB_UID, "Robert");
        Contact moved = book.setEndpoints(BOB_UID, List.of(Endpoint.tcp("10.1.2.3", 6000)));
        assertThat(moved.endpoints()).containsExactly(Endpoint.tcp("10.1.2.3", 6000));
        assertThat(book.verify(BOB_UID).verified()).isTrue();
        book.remove(BOB_UID);
        assertThat(book.contacts()).isEmpty();
        assertThat(events).containsExactly("added Bob", "changed Bob->Robert", "changed Robert->Robert",
                "changed Robert->Robert", "removed Robert");
        assertThatThrownBy(() -> book.remove(BOB_UID)).hasMessageContaining("no contact");
    }

    @Test
    void legacyPermissionIsOffByDefaultKeptAcrossReopenAndAnnounced() throws Exception {
        assertThat(book.add(BOB_UID, "Bob", BOB_KEY, List.of()).legacy()).isFalse();
        Contact allowed = book.setLegacy(BOB_UID, true);
        assertThat(allowed.legacy()).isTrue();
        assertThat(book.setLegacy(BOB_UID, true)).isEqualTo(allowed);
        assertThat(events).containsExactly("added Bob", "changed Bob->Bob");

        store.close();
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 3);
        store = H2Store.open(dir, key);
        book = new ContactBook(store);
        assertThat(book.byUid(BOB_UID).orElseThrow().legacy()).isTrue();
        assertThat(book.setLegacy(BOB_UID, false).legacy()).isFalse();
        assertThatThrownBy(() -> book.setLegacy(CAROL_UID, true)).hasMessageContaining("no contact");
    }

    @Test
    void keyMismatchFlagsTheContactUntilVerifiedAgain() throws Exception {
        book.add(BOB_UID, "Bob", BOB_KEY, List.of());
        book.verify(BOB_UID);
        book.securityEvent(new SecurityEvent(SecurityEvent.Kind.KEY_MISMATCH, BOB_UID, "ff".repeat(32),
                ContactBook.fingerprintOf(BOB_KEY), null, Instant.now(), "Bob presented another key"));
        assertThat(book.byUid(BOB_UID).orElseThrow().keyChanged()).isTrue();
        Contact checked = book.verify(BOB_UID);
        assertThat(checked.keyChanged()).isFalse();
        assertThat(checked.verified()).isTrue();
    }

    @Test
    void requestsFromUnknownKeysAreStoredSanitizedAndCanBeAcceptedOrRejected() throws Exception {
        book.contactRequested(new ContactRequest(CAROL_UID, "Carol\u001b[31m" + "x".repeat(100), CAROL_KEY,
                List.of(Endpoint.tcp("127.0.0.1", 7000)), Instant.parse("2026-01-01T00:00:00Z")));
        book.contactRequested(new ContactRequest(CAROL_UID, "Carol", CAROL_KEY, List.of(), Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(book.requests()).singleElement().satisfies(r -> {
            assertThat(r.username()).isEqualTo("Carol");
            assertThat(r.receivedAt()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
        });
        assertThat(book.byPublicKey(CAROL_KEY)).as("a request is not a contact").isEmpty();

        Contact carol = book.accept(CAROL_KEY);
        assertThat(carol.uid()).isEqualTo(CAROL_UID);
        assertThat(book.requests()).isEmpty();

        book.contactRequested(new ContactRequest(BOB_UID, "Bob", BOB_KEY, List.of(), Instant.now()));
        book.reject(BOB_KEY);
        assertThat(book.requests()).isEmpty();
        assertThatThrownBy(() -> book.reject(BOB_KEY)).hasMessageContaining("no contact request");
    }

    @Test
    void linkCodesAndCardsAddContactsAndOwnCodeNeedsTheIdentity(@TempDir Path cards) throws Exception {
        Contact alice = book.addFromLinkCode(LinkCodeTest.LEGACY_CODE);
        assertThat(alice.legacy()).as("a peer from a 1.x code speaks only 1.x").isTrue();
        assertThat(book.byUid(alice.uid()).orElseThrow().legacy()).isTrue();
        assertThat(alice.fingerprint()).isEqualTo(LinkCodeTest.FINGERPRINT_A);
        assertThatThrownBy(() -> book.addFromLinkCode(LinkCodeTest.LEGACY_CODE)).hasMessageContaining("already a contact");
        assertThatThrownBy(() -> book.ownLinkCode()).hasMessageContaining("locked");

        Path card = cards.resolve("carol.jcard");
        ContactCard.write(new jarvis.api.contacts.ContactInvite(CAROL_UID, "Carol", CAROL_KEY, List.of(), false), card);
        assertThat(book.importCard(card).uid()).isEqualTo(CAROL_UID);
        assertThat(book.contacts()).hasSize(2);
    }

    private static ContactBook.Config config(String... endpoints) {
        return new ContactBook.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return ContactBook.Config.class;
            }

            @Override
            public String[] advertised_endpoints() {
                return endpoints;
            }
        };
    }

    @Test
    void aNewConfigurationChangesTheAdvertisedEndpointsInPlace() throws Exception {
        ContactBook configured = new ContactBook(store, config("tcp://203.0.113.7:5000", "not an endpoint"));
        assertThat(configured.advertisedEndpoints()).containsExactly(Endpoint.tcp("203.0.113.7", 5000));
        configured.modified(config("tcp://[2001:db8::2]:5001"));
        assertThat(configured.advertisedEndpoints()).containsExactly(Endpoint.parse("tcp://[2001:db8::2]:5001"));
    }

    @Test
    void peerSuppliedNamesAreMadeDisplayable() {
        assertThat(ContactBook.sanitize("\u0000\u0007")).isEqualTo("unknown");
        assertThat(ContactBook.sanitize("a".repeat(200))).hasSize(ContactBook.MAX_USERNAME);
        // C1 controls (U+009B is a one-byte CSI for many terminals), separators, bidi overrides and isolates
        assertThat(ContactBook.sanitize("ev\u009B2Jil\u0085")).isEqualTo("ev2Jil");
        assertThat(ContactBook.sanitize("bob\u2028\u2029")).isEqualTo("bob");
        assertThat(ContactBook.sanitize("\u202Eecila\u202C\u2066x\u2069")).isEqualTo("ecilax");
        // an emoji sequence with zero-width joiners is kept whole
        String family = "\uD83D\uDC69\u200D\uD83D\uDC67";
        assertThat(ContactBook.sanitize(family)).isEqualTo(family);
    }
}
