package jarvis.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jarvis.api.ConnectionState;
import jarvis.api.Endpoint;
import jarvis.api.session.PeerHealth;
import org.junit.jupiter.api.Test;

class PeerCommandsTest {

    private static final String BOB = "0123456789abcdef0123456789abcdef";
    private static final String CAROL = "fedcba9876543210fedcba9876543210";

    @Test
    void peerTableNamesContactsAndShowsHealth() {
        String table = PeerCommands.peerTable(List.of(
                new PeerHealth(CAROL, ConnectionState.OFFLINE, null, 0, 0, 0, 0, -1, 0, Instant.EPOCH),
                new PeerHealth(BOB, ConnectionState.ONLINE, Endpoint.tcp("127.0.0.1", 5000), 2048, 1024, 20, 10,
                        1500, 2, Instant.EPOCH)),
                Map.of(BOB, "Bob"));
        assertThat(table.lines()).containsExactly(
                "CONTACT                           STATE    REMOTE                RTT     FRAMES IN  FRAMES OUT  BYTES IN  BYTES OUT  RECONNECTS",
                "Bob                               ONLINE   tcp://127.0.0.1:5000  1.5 ms  20         10          2048      1024       2",
                "fedcba9876543210fedcba9876543210  OFFLINE  -                     -       0          0           0         0          0");
    }

    @Test
    void commandsSayWhenTheIdentityIsLocked() throws Exception {
        PeerCommands commands = new PeerCommands();
        assertThat(commands.peers()).isEqualTo(PeerCommands.LOCKED);
        assertThat(commands.connect("bob")).isEqualTo(PeerCommands.LOCKED);
        assertThat(commands.transports()).contains("no transport");
    }
}
