package dev.huddle.core.messaging;

import dev.huddle.core.HuddleError;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MessageRules}: body limits and text rules, ids, wake values, ask timeouts. */
class MessageRulesTest {

    private static HuddleError refusal(Runnable r) {
        try {
            r.run();
        } catch (HuddleError e) {
            return e;
        }
        throw new AssertionError("expected a HuddleError");
    }

    // ---- body size ----

    @Test
    void aBodyOfExactly8192BytesPassesAnd8193IsRefused() {
        assertThat(MessageRules.body("x".repeat(8192))).hasSize(8192);
        HuddleError e = refusal(() -> MessageRules.body("x".repeat(8193)));
        assertThat(e.code()).isEqualTo("body-too-large");
        assertThat(e.getMessage()).contains("8193 bytes").contains("8192");
        assertThat(e.hint()).isNotBlank();
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        // é is 2 bytes, € is 3, 😀 (a surrogate pair: 2 chars) is 4.
        assertThat(MessageRules.body("é".repeat(4096))).hasSize(4096); // 8192 bytes
        assertThat(refusal(() -> MessageRules.body("é".repeat(4096) + "x")).code()).isEqualTo("body-too-large");
        assertThat(MessageRules.body("€".repeat(2730) + "xx")).isNotNull(); // 8190 + 2 = 8192
        assertThat(refusal(() -> MessageRules.body("€".repeat(2731))).getMessage()).contains("8193 bytes");
        assertThat(MessageRules.body("😀".repeat(2048))).hasSize(4096); // 8192 bytes in 4096 chars
        assertThat(refusal(() -> MessageRules.body("😀".repeat(2048) + "a")).code()).isEqualTo("body-too-large");
        // only 2731 characters, but 8193 bytes
        String mixed = "😀".repeat(2047) + "€" + "éé";
        assertThat(mixed.getBytes(StandardCharsets.UTF_8)).hasSize(8195);
        assertThat(refusal(() -> MessageRules.body(mixed)).code()).isEqualTo("body-too-large");
    }

    @Test
    void emptyAndNullBodiesAreRefused() {
        assertThat(refusal(() -> MessageRules.body("")).code()).isEqualTo("invalid-argument");
        assertThat(refusal(() -> MessageRules.body(null)).code()).isEqualTo("invalid-argument");
    }

    // ---- body text ----

    @Test
    void loneSurrogatesAreRefusedWhereverTheyAre() {
        for (String bad : List.of("\uD800", "\uDC00", "a\uD83D", "\uDE00b", "x\uDBFFy", "ok \uD83D\uDE00 then \uDFFF",
                "\uDE00\uD83D" /* low before high: two lone ones */, "\uD83D\uD83D\uDE00" /* a high with no low, then a pair */)) {
            HuddleError e = refusal(() -> MessageRules.body(bad));
            assertThat(e.code()).as("%s", bad.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo("invalid-argument");
            assertThat(e.getMessage()).contains("surrogate");
        }
        assertThat(refusal(() -> MessageRules.body("ab\uDC00")).getMessage()).contains("at character 2");
    }

    @Test
    void surrogatePairsAreFine() {
        assertThat(MessageRules.body("\uD83D\uDE00")).isEqualTo("😀");
        assertThat(MessageRules.body("𝄞 music \uDBFF\uDFFF")).isNotNull(); // U+1D11E, U+10FFFF
    }

    @Test
    void nulAndOtherC0ControlsAreRefused() {
        for (char c = 0; c < 0x20; c++) {
            if (c == '\t' || c == '\n' || c == '\r') continue;
            String body = "before" + c + "after";
            HuddleError e = refusal(() -> MessageRules.body(body));
            assertThat(e.code()).isEqualTo("invalid-argument");
            assertThat(e.getMessage()).contains(String.format("U+%04X", (int) c)).contains("at character 6");
        }
        assertThat(refusal(() -> MessageRules.body("\u0000")).getMessage()).contains("U+0000");
    }

    @Test
    void tabNewlineAndCarriageReturnAreText() {
        assertThat(MessageRules.body("line 1\nline 2\r\n\tindented")).isEqualTo("line 1\nline 2\r\n\tindented");
    }

    @Test
    void delAndC1ControlsAreNotC0AndPass() {
        // The rule is about C0 (and NUL); DEL and C1 controls are valid UTF-8 text and pass.
        assertThat(MessageRules.body("a\u007Fb\u0085c\u009Fd")).isNotNull();
    }

    // ---- utf8Length ----

    @Provide
    Arbitrary<String> validText() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0x7FF),
                Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF),
                Arbitraries.integers().between(0x10000, 0x10FFFF));
        return codePoint.list().ofMaxSize(300).map(cps -> {
            StringBuilder b = new StringBuilder();
            cps.forEach(b::appendCodePoint);
            return b.toString();
        });
    }

    @Property
    void utf8LengthEqualsTheEncodedLength(@ForAll("validText") String s) {
        assertThat(MessageRules.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Property
    void utf8LengthOfArbitraryJqwikStringsWithoutLoneSurrogates(@ForAll String s) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) return; // lone surrogates have no UTF-8 form
        assertThat(MessageRules.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    /** A reference rule, written differently: encodable as UTF-8, no C0 but tab/LF/CR, 1..8192 bytes. */
    @Property(tries = 500)
    void bodyAcceptsExactlyWhatTheReferenceRuleAccepts(@ForAll("bodies") String s) {
        boolean encodable = StandardCharsets.UTF_8.newEncoder().canEncode(s);
        boolean noControls = s.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r');
        boolean expected = !s.isEmpty() && encodable && noControls && s.getBytes(StandardCharsets.UTF_8).length <= 8192;
        boolean accepted;
        try {
            accepted = MessageRules.body(s).equals(s);
        } catch (HuddleError e) {
            accepted = false;
            assertThat(e.code()).isIn("invalid-argument", "body-too-large");
        }
        assertThat(accepted).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> bodies() {
        // Mostly valid text around the size limit, sometimes with a control character or a lone surrogate in it.
        Arbitrary<String> base = Arbitraries.oneOf(validText(),
                Arbitraries.integers().between(3900, 4300).map(n -> "é€😀x".repeat(n / 5 + 1).substring(0, n)));
        Arbitrary<Character> intruder = Arbitraries.of('\u0000', '\u0001', '\u001F', '\t', '\n', '\uD800', '\uDC00', 'z');
        return Combinators.combine(base, intruder, Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1))
                .as((b, c, mode, where) -> {
                    if (mode == 0) return b;
                    int at = (int) Math.round(where * b.length());
                    return b.substring(0, at) + c + b.substring(at);
                });
    }

    // ---- ids ----

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef", "ffffffffffffffff", "0000000000000000"})
    void sixteenLowercaseHexCharactersAreAnId(String id) {
        assertThat(MessageRules.messageId(id, "message_id")).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789abcde", "0123456789abcdef0", "0123456789ABCDEF", "0123456789abcdeg",
            " 0123456789abcdef", "0123456789abcdef ", "0123456789abcdef\n", "../../etc/passwd", "0123456789abcd\u0000f",
            "０１２３４５６７８９ａｂｃｄｅｆ" /* full-width */, "p-0123456789abcd", "'; DROP TABLE messages; --"})
    void anythingElseIsNot(String id) {
        HuddleError e = refusal(() -> MessageRules.messageId(id, "message_id"));
        assertThat(e.code()).isEqualTo("invalid-argument");
        assertThat(e.getMessage()).startsWith("message_id ");
        assertThat(e.hint()).contains("16 lowercase hex");
    }

    @Test
    void nullAndHugeIdsAreRefusedWithAShortMessage() {
        assertThat(refusal(() -> MessageRules.messageId(null, "reply_to")).getMessage()).contains("reply_to").contains("null");
        HuddleError e = refusal(() -> MessageRules.messageId("a".repeat(100_000), "message_id"));
        assertThat(e.getMessage().length()).isLessThan(200);
    }

    @Property(tries = 200)
    void newIdsAreValidIds(@ForAll long seed) {
        String id = MessageRules.newId(new Random(seed));
        assertThat(MessageRules.messageId(id, "id")).hasSize(16);
    }

    @Test
    void newIdsDoNotRepeat() {
        Random r = new Random(42);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) assertThat(seen.add(MessageRules.newId(r))).isTrue();
    }

    // ---- wake ----

    @Test
    void wakeIsOffAutoOrAbsent() {
        assertThat(MessageRules.wake(null)).isNull();
        assertThat(MessageRules.wake("off")).isEqualTo("off");
        assertThat(MessageRules.wake("auto")).isEqualTo("auto");
        for (String bad : List.of("", "on", "AUTO", "Off", " auto", "auto ", "x".repeat(1000))) {
            HuddleError e = refusal(() -> MessageRules.wake(bad));
            assertThat(e.code()).isEqualTo("invalid-argument");
            assertThat(e.getMessage().length()).isLessThan(120);
        }
    }

    // ---- ask timeouts ----

    @Test
    void absentTimeoutIsTheDefault() {
        assertThat(MessageRules.askTimeoutMs(null, 60_000, 100_000)).isEqualTo(60_000);
        assertThat(MessageRules.askTimeoutMs(null, 60_000, 5_000)).as("a default above the maximum is clamped").isEqualTo(5_000);
    }

    @Test
    void timeoutsAreClampedToTheMaximum() {
        assertThat(MessageRules.askTimeoutMs(1L, 60_000, 100_000)).isEqualTo(1);
        assertThat(MessageRules.askTimeoutMs(100_000L, 60_000, 100_000)).isEqualTo(100_000);
        assertThat(MessageRules.askTimeoutMs(100_001L, 60_000, 100_000)).isEqualTo(100_000);
        assertThat(MessageRules.askTimeoutMs(Long.MAX_VALUE, 60_000, 100_000)).isEqualTo(100_000);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -60_000, Long.MIN_VALUE})
    void nonPositiveTimeoutsAreRefused(long t) {
        HuddleError e = refusal(() -> MessageRules.askTimeoutMs(t, 60_000, 100_000));
        assertThat(e.code()).isEqualTo("invalid-argument");
        assertThat(e.getMessage()).contains("positive");
        assertThat(e.hint()).contains("60000");
    }

    @Property
    void aPositiveTimeoutIsKeptOrClamped(@ForAll @LongRange(min = 1) long t, @ForAll @LongRange(min = 1, max = 10_000_000) long max) {
        assertThat(MessageRules.askTimeoutMs(t, 60_000, max)).isEqualTo(Math.min(t, max)).isPositive();
    }

    @Test
    void constantsAreTheDocumentedOnes() {
        assertThat(MessageRules.MAX_BODY_BYTES).isEqualTo(8192);
        assertThat(MessageRules.READ_MAX_MESSAGES).isEqualTo(50);
        assertThat(MessageRules.READ_MAX_BODY_BYTES).isEqualTo(65_536);
        assertThatThrownBy(() -> MessageRules.body("\u0000")).isInstanceOf(HuddleError.class);
    }
}
