package dev.huddle.agents.gemini;

import dev.huddle.terminal.Composer;
import dev.huddle.terminal.InputLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gemini CLI's composer rule against screens of the real TUI (0.61.0, captured with their colours: see
 * {@code terminal/gemini-0.61.0/screens.txt}). The empty composer's grey placeholder is no draft (issue 15, defect 2:
 * it read as a 34-character draft, so an idle Gemini was never woken); a human's draft is; a dialog and shell mode
 * are no input line.
 */
class GeminiScreensTest {
    private static final String DIR = "/terminal/gemini-0.61.0/";
    private static final Composer COMPOSER = new GeminiCli().composer();

    /** One row of screens.txt. */
    record Screen(String file, int cursorX, int cursorY, String expected, String state) {
        String text() {
            return read(DIR + file);
        }

        @Override
        public String toString() {
            return file + " (" + state + ")";
        }
    }

    static List<Screen> screens() {
        return read(DIR + "screens.txt").lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
            String[] f = l.split("\\|");
            return new Screen(f[0].strip(), Integer.parseInt(f[1].strip()), Integer.parseInt(f[2].strip()), f[3].strip(), f[4].strip());
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("screens")
    void theComposerOfEachCapturedScreenReadsAsItWas(Screen s) {
        Optional<InputLine.Draft> d = InputLine.find(COMPOSER, s.text(), s.cursorX(), s.cursorY());
        switch (s.expected()) {
            case "none" -> assertThat(d).as("no input line: typed keys would not reach the composer").isEmpty();
            case "empty" -> {
                assertThat(d).as("an input line").isPresent();
                assertThat(d.get().text()).as("the placeholder is not a draft").isEmpty();
            }
            default -> {
                assertThat(s.expected()).startsWith("draft:");
                assertThat(d).as("an input line").isPresent();
                assertThat(d.get().text()).isEqualTo(s.expected().substring("draft:".length()));
            }
        }
    }

    @Test
    void thePlaceholderIsReadByItsTextAndTheCursorNotByItsColour() {
        String empty = read(DIR + "empty.ansi");
        assertThat(empty).as("drawn grey on the input background, not faint").contains("\u001B[38;5;248m\u001B[48;5;240m Type your message");
        assertThat(InputLine.find(COMPOSER, empty, -1, -1).orElseThrow().empty()).as("cursor unknown: the text decides").isTrue();
        // A human who typed the placeholder's words has the cursor after them: a draft.
        assertThat(InputLine.find(COMPOSER, empty, 3 + 2 + GeminiCli.PLACEHOLDER.length(), 22).orElseThrow().text())
                .isEqualTo(GeminiCli.PLACEHOLDER);
        // The composer found at the cursor's row only: with the cursor elsewhere (a dialog took it) nothing is typed.
        assertThat(InputLine.find(COMPOSER, empty, 0, 30)).isEmpty();
    }

    @Test
    void anEnterTakenAsANewlineLeavesTheDraftReadableSoTheWakerPressesEnterAgain() {
        String draft = read(DIR + "draft.ansi");
        assertThat(InputLine.find(COMPOSER, draft, 3, 19).orElseThrow().text()).as("the cursor on the draft's new empty line")
                .isEqualTo("half a thought");
        assertThat(InputLine.find(COMPOSER, draft, 3, 20)).as("the cursor two rows below: not the composer").isEmpty();
    }

    @Test
    void theWakerSeesWhenTheTuiHasTakenEveryKey() {
        InputLine.Draft d = InputLine.find(COMPOSER, read(DIR + "draft.ansi"), 17, 18).orElseThrow();
        assertThat(InputLine.showsAll(d, "half a thought")).isTrue();
        assertThat(InputLine.showsAll(d, "half a thought, and more")).as("keys still on their way").isFalse();
        InputLine.Draft wrapped = new InputLine.Draft(0, "huddle: new messages from peer agents are waiting for you. Call");
        assertThat(InputLine.showsAll(wrapped, "huddle: new messages from peer agents are waiting for you. Call read_my_messages")).isFalse();
    }

    @Test
    void withoutTheGeminiRuleThePlaceholderReadsAsTheDraftOfDefect2() {
        Composer markersOnly = new Composer(COMPOSER.client(), COMPOSER.markers(), COMPOSER.paste(), COMPOSER.enterGap());
        assertThat(InputLine.find(markersOnly, read(DIR + "empty.ansi"), 3, 22).orElseThrow().text())
                .hasSize(34).isEqualTo(GeminiCli.PLACEHOLDER);
    }

    private static String read(String resource) {
        try (InputStream in = GeminiScreensTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
