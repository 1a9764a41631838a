package jarvis.ipc.internal;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestParserTest {

    private final RequestParser parser = new RequestParser();

    private Request parse(String line) throws RequestParser.Malformed {
        return parser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void passwordBecomesACharArrayThatNeverPrintsAndIsWiped() throws Exception {
        Request r = parse("{\"id\":1,\"command\":\"unlock\",\"params\":{\"password\":\"s3cr\\u00e9t\"}}");

        assertThat(r.params().toString()).doesNotContain("s3cr");
        assertThat(r.toString()).doesNotContain("s3cr");
        char[] password = r.secret("password");
        assertThat(new String(password)).isEqualTo("s3crét");
        r.wipe();
        assertThat(password).containsOnly('\0');
    }

    @Test
    void nonStringPasswordIsRefusedAsAParameterError() throws Exception {
        Request r = parse("{\"id\":1,\"command\":\"unlock\",\"params\":{\"password\":42}}");

        assertThatThrownBy(() -> r.secret("password")).isInstanceOf(CommandFailure.class)
                .hasMessage("Invalid parameter password: must be a string");
        assertThatThrownBy(() -> parse("{\"id\":1,\"command\":\"unlock\"}").secret("password"))
                .hasMessage("Missing parameter: password");
    }

    @Test
    void malformedLinesAreRefusedWithReasons() {
        assertThatThrownBy(() -> parse("{\"id\":1,\"command\":\"ping\"} {}")).hasMessage("Invalid JSON: one object per line");
        assertThatThrownBy(() -> parse("\"ping\"")).hasMessage("Invalid JSON: a request is a JSON object");
        assertThatThrownBy(() -> parse("{\"id\":1,\"command\":\"ping\",\"params\":[]}"))
                .hasMessage("Invalid params: a JSON object");
        assertThatThrownBy(() -> parse("{\"id\":true,\"command\":\"ping\"}"))
                .hasMessage("Invalid request id: a string or a number");
        String deep = "{\"id\":1,\"command\":\"x\",\"params\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertThatThrownBy(() -> parse(deep)).hasMessage("Invalid JSON: nested deeper than 32 levels");
    }

    @Test
    void hugeExponentsAreCheapDoublesNotErrorsOrBillionDigitNumbers() throws Exception {
        // Found by the ipc-lines fuzz target: Jackson could not make a BigDecimal of this one.
        Request r = parse("{\"id\":1,\"command\":\"get_messages\",\"params\":{\"limit\":1e99923456789,"
                + "\"offset\":1e999999999,\"small\":-1e-99923456789}}");
        assertThat(r.params().get("limit").doubleValue()).isInfinite();
        assertThat(r.params().get("offset").doubleValue()).isInfinite();
        assertThat(r.params().get("small").doubleValue()).isZero();
        assertThat(parse("{\"id\":2.5,\"command\":\"ping\"}").id().doubleValue()).isEqualTo(2.5);
    }

    @Test
    void idsAndParamsArriveAsSent() throws Exception {
        Request r = parse("{\"id\":\"a-1\",\"command\":\"add_contact\",\"params\":{\"port\":5000,\"verified\":true,"
                + "\"endpoints\":[\"tcp://h:1\"]}}");

        assertThat(r.id().textValue()).isEqualTo("a-1");
        assertThat(r.optionalInt("port", 1, 65535)).contains(5000);
        assertThat(r.bool("verified", false)).isTrue();
        assertThat(r.params().get("endpoints").get(0).asText()).isEqualTo("tcp://h:1");
        assertThatThrownBy(() -> r.optionalInt("verified", 1, 2)).isInstanceOf(CommandFailure.class);
    }
}
