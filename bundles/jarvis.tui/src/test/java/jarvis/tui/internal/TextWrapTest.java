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
    void emojiAreNeverSplitAndTakeTwoColumns() {
        String party = "\uD83C\uDF89";
        assertThat(TextWrap.columns(party)).isEqualTo(2);
        assertThat(TextWrap.columns("a" + party + "b")).isEqualTo(4);
        assertThat(TextWrap.wrap(party.repeat(5), 4)).containsExactly(party + party, party + party, party);
        assertThat(TextWrap.wrap(party.repeat(3), 3)).containsExactly(party, party, party);
        assertThat(TextWrap.fit("a" + party + party, 4)).isEqualTo("a" + party + "\u2026");
    }

    @Test
    void aDecomposedAccentIsComposedIntoOneColumn() {
        String accented = SafeText.message("e\u0301".repeat(3));
        assertThat(accented).isEqualTo("\u00e9\u00e9\u00e9");
        assertThat(TextWrap.columns(accented)).isEqualTo(3);
        assertThat(TextWrap.wrap(accented, 2)).containsExactly("\u00e9\u00e9", "\u00e9");
    }

    @Test
    void fitCutsWithAnEllipsis() {
        assertThat(TextWrap.fit("alexandra", 5)).isEqualTo("alex…");
        assertThat(TextWrap.fit("bob", 5)).isEqualTo("bob");
    }
}
