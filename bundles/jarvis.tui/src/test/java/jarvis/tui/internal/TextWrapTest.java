package jarvis.tui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextWrapTest {

    @Test
    void breaksAtSpacesWithinTheWidth() {
        assertThat(TextWrap.wrap("the quick brown fox jumps", 10)).containsExactly("the quick", "brown fox", "jumps");
    }

    @Test
    void aWordWiderThanTheLineIsCut() {
        assertThat(TextWrap.wrap("abcdefghijkl xy", 5)).containsExactly("abcde", "fghij", "kl xy");
    }

    @Test
    void newlinesAreKeptAndEmptyTextIsOneEmptyLine() {
        assertThat(TextWrap.wrap("one\n\ntwo", 10)).containsExactly("one", "", "two");
        assertThat(TextWrap.wrap("", 10)).containsExactly("");
    }

    @Test
    void noLineIsWiderThanTheWidthInTerminalColumns() {
        String cjk = "漢字漢字漢字 ab";
        for (String line : TextWrap.wrap(cjk, 5)) {
            assertThat(TextWrap.columns(line)).isLessThanOrEqualTo(5);
        }
        assertThat(TextWrap.columns("漢a")).isEqualTo(3);
    }

    @Test
    void fitCutsWithAnEllipsis() {
        assertThat(TextWrap.fit("alexandra", 5)).isEqualTo("alex…");
        assertThat(TextWrap.fit("bob", 5)).isEqualTo("bob");
    }
}
