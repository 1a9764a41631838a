package jarvis.api.identity;

import java.util.Objects;
import java.util.Optional;

import jarvis.api.IdentitySummary;

/**
 * The state of the local identity and what may be shown about it. The summary is known once the identity has
 * been created, imported or unlocked by this daemon (it is stored encrypted, so a daemon that has only seen
 * the locked file does not know the name yet). Never carries key material.
 *
 * @param state   none, locked or unlocked
 * @param summary uid, name, fingerprint and creation time, when known; always present when unlocked
 */
public record IdentityStatus(IdentityState state, Optional<IdentitySummary> summary) {

    public IdentityStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(summary, "summary");
        if (state == IdentityState.UNLOCKED && summary.isEmpty()) {
            throw new IllegalArgumentException("an unlocked identity has a summary");
        }
        if (state == IdentityState.NONE && summary.isPresent()) {
            throw new IllegalArgumentException("no identity, no summary");
        }
        summary.ifPresent(s -> {
            if (s.unlocked() != (state == IdentityState.UNLOCKED)) {
                throw new IllegalArgumentException("summary.unlocked() must agree with the state");
            }
        });
    }
}
