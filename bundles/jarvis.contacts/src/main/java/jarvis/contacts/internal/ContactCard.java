package jarvis.contacts.internal;

import java.io.IOException;
import java.io.InputStream;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.Endpoint;
import jarvis.api.contacts.ContactException;
import jarvis.api.contacts.ContactInvite;

/**
 * Contact card files. We write a JSON card that carries our link code and, for Jarvis 1.x
 * readers, the six fields a 1.x {@code .jcard} has; we read our cards and 1.x cards.
 */
final class ContactCard {

    static final String TYPE = "jarvis_contact_card";
    static final int MAX_BYTES = 64 * 1024;

    private ContactCard() {
    }

    static ContactInvite read(Path file) throws ContactException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ContactException("no such file: " + file);
        } catch (IOException e) {
            throw new ContactException("cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new ContactException(file + " is too large for a contact card (over 64 KiB)");
        }
        JsonNode card;
        try {
            card = LinkCode.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ContactException(file + " is not a contact card (not JSON)");
        }
        if (card == null || !card.isObject() || !TYPE.equals(card.path("type").asText())) {
            throw new ContactException(file + " is not a contact card (type is not " + TYPE + ")");
        }
        if (card.hasNonNull("link_code")) {
            return LinkCode.parse(card.get("link_code").asText());
        }
        return LinkCode.fromLegacyJson(card, "contact card");
    }

    static void write(ContactInvite self, Path file) throws ContactException {
        ObjectNode card = LinkCode.JSON.createObjectNode();
        card.put("version", "2.0");
        card.put("type", TYPE);
        card.put("uid", self.uid());
        card.put("username", self.username());
        card.put("public_key", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(self.publicKey())));
        card.put("fingerprint", ContactBook.fingerprintOf(self.publicKey()));
        Endpoint first = self.endpoints().isEmpty() ? null : self.endpoints().get(0);
        card.put("host", first == null ? "localhost" : first.host());
        card.put("port", first == null ? 5000 : first.port());
        ArrayNode endpoints = card.putArray("endpoints");
        self.endpoints().forEach(e -> endpoints.add(e.toString()));
        card.put("link_code", LinkCode.encode(self));
        card.put("exported_at", Instant.now().toString());
        try {
            byte[] json = LinkCode.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(card);
            Files.write(file, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ContactException(file + " exists already; choose another name");
        } catch (IOException e) {
            throw new ContactException("cannot write " + file + ": " + e.getMessage());
        }
    }

}
