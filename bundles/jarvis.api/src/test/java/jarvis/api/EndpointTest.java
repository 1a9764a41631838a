package jarvis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @Test
    void parsesHostAndPort() {
        Endpoint e = Endpoint.parse("tcp://example.org:5000");
        assertThat(e).isEqualTo(Endpoint.tcp("example.org", 5000));
        assertThat(e.toString()).isEqualTo("tcp://example.org:5000");
    }

    @Test
    void parsesIpv6LiteralAndPrintsItBracketed() {
        Endpoint e = Endpoint.parse("tcp://[::1]:5001");
        assertThat(e.host()).isEqualTo("::1");
        assertThat(e.toString()).isEqualTo("tcp://[::1]:5001");
        assertThat(Endpoint.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(Endpoint.parse("TCP://127.0.0.1:1").scheme()).isEqualTo("tcp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1:5000", "tcp://127.0.0.1", "tcp://127.0.0.1:-1", "tcp://127.0.0.1:65536",
            "tcp://h:1/path", "tcp://u@h:1", "tcp://h:1?q", "tcp://h:1#f", "tcp://ho st:1", "tcp://:1", "::::"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
    }

    @Test
    void rejectsOverlongTextBeforeParsing() {
        String text = "tcp://" + "a".repeat(Endpoint.MAX_LENGTH) + ":1";
        assertThatThrownBy(() -> Endpoint.parse(text)).hasMessageContaining("longer than");
    }

    @Test
    void constructorChecksEveryPart() {
        assertThatThrownBy(() -> new Endpoint("tcp", "h", -1)).hasMessageContaining("port");
        assertThat(new Endpoint("tcp", "h", 0).port()).as("port 0 binds any free port").isZero();
        assertThatThrownBy(() -> new Endpoint("1cp", "h", 1)).hasMessageContaining("scheme");
        assertThatThrownBy(() -> new Endpoint("tcp", "", 1)).hasMessageContaining("host");
    }
}
