package jarvis.api.account;

import java.util.Objects;

import jarvis.api.IdentitySummary;

/**
 * What an export or import carried.
 *
 * @param identity the account's identity (after an import: unlocked)
 * @param contacts contacts (pending contact requests not counted)
 * @param groups   groups, whatever this account's state in them
 * @param messages messages of every conversation, both directions
 */
public record AccountReport(IdentitySummary identity, int contacts, int groups, int messages) {

    public AccountReport {
        Objects.requireNonNull(identity, "identity");
    }
}
