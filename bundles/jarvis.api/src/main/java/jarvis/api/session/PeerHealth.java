package jarvis.api.session;

import java.time.Instant;
import java.util.Objects;

import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;

/**
 * What the session core knows about the link to one contact.
 *
 * @param contactUid     the contact
 * @param state          the session's state
 * @param remote         the endpoint of the current or last link, or {@code null}
 * @param bytesIn        bytes received on sessions with this contact since the daemon started
 * @param bytesOut       bytes sent
 * @param framesIn       frames received
 * @param framesOut      frames sent
 * @param rttMicros      the last measured round-trip time, or -1 before the first
 * @param reconnects     sessions established after the first one (a measure of instability)
 * @param since          when the current state began
 */
public record PeerHealth(String contactUid, ConnectionState state, Endpoint remote, long bytesIn, long bytesOut,
        long framesIn, long framesOut, long rttMicros, int reconnects, Instant since) {

    public PeerHealth {
        Objects.requireNonNull(contactUid, "contactUid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }
}
