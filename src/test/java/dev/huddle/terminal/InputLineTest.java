package dev.huddle.terminal;

import dev.huddle.core.identity.ClientType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputLineTest {
    private static final String FAINT = "\u001B[2m";
    private static final String RESET = "\u001B[0m";

    @Test
    void claudesBoxedComposerWithAFaintPlaceholderIsEmpty() {
        String screen = "> an old prompt\n\n╭────────╮\n│ > " + FAINT + "Try \"fix lint\"" + RESET + "   │\n╰────────╯\n";
        var d = InputLine.find(Composers.of(ClientType.CLAUDE_CODE), screen, -1, -1);
        assertThat(d).isPresent();
        assertThat(d.get().row()).isEqualTo(3);
        assertThat(d.get().empty()).isTrue();
    }

    @Test
    void claudesComposerWithTextIsADraftAndTheBorderIsNotPartOfIt() {
        String screen = "╭────────╮\n│ > half a thought      │\n╰────────╯";
        assertThat(InputLine.find(Composers.of(ClientType.CLAUDE_CODE), screen, 0, 0).orElseThrow().text()).isEqualTo("half a thought");
        assertThat(InputLine.find(Composers.of(ClientType.GEMINI), "│ > x │", 0, 0).orElseThrow().text()).isEqualTo("x");
        assertThat(InputLine.find(Composers.of(ClientType.CLAUDE_CODE), "❯ typed", 0, 0).orElseThrow().text()).isEqualTo("typed");
    }

    @Test
    void codexUsesTheBottomMostPromptNotTheTranscript() {
        String screen = "› earlier question\nanswer\n\n› " + FAINT + "Ask Codex to do anything" + RESET + "\n\n";
        assertThat(InputLine.find(Composers.of(ClientType.CODEX), screen, 2, 3).orElseThrow().empty()).isTrue();
        assertThat(InputLine.find(Composers.of(ClientType.CODEX), "› earlier\n› draft here", 0, 0).orElseThrow().text()).isEqualTo("draft here");
        assertThat(InputLine.find(Composers.of(ClientType.CODEX), "›", 1, 0).orElseThrow().empty()).isTrue();
    }

    @Test
    void aShellIsReadLeftOfTheCursor() {
        // capture-pane trims trailing blanks: "$ " comes back as "$"
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "out\n$", 2, 1).orElseThrow().empty()).isTrue();
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "$ echo half", 11, 0).orElseThrow().text()).isEqualTo("echo half");
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "user@host:~/x$ git st", 21, 0).orElseThrow().text()).isEqualTo("git st");
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "   ", 1, 0)).as("a blank line may be a program reading stdin").isEmpty();
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "Loading model", 13, 0)).as("no prompt marker: cannot tell").isEmpty();
        assertThat(InputLine.find(Composers.of(ClientType.UNKNOWN), "$", -1, -1)).isEmpty();
    }

    @Test
    void aKnownClientWhoseComposerIsNotDrawnHasNoInputLine() {
        // e.g. Codex showing "Allow command? (y/n)" or Claude Code's permission menu: typed keys would answer it
        assertThat(InputLine.find(Composers.of(ClientType.CODEX), "Allow command?\n  1. Yes\n  2. No\n", 0, 3)).isEmpty();
        // Claude Code's permission menu draws its selection with the composer's marker: it reads as a draft, so no wake
        assertThat(InputLine.find(Composers.of(ClientType.CLAUDE_CODE), "Do you want to proceed?\n❯ 1. Yes", 0, 1).orElseThrow().empty()).isFalse();
        assertThat(InputLine.find(Composers.of(ClientType.CODEX), "$ ls", 4, 0)).isEmpty();
    }

    @Test
    void escapesAndColoursAreNotText() {
        assertThat(InputLine.visibleText("\u001B[38;5;2mgreen\u001B[0m \u001B[38;2;1;2;3mrgb\u001B[m")).isEqualTo("green rgb");
        assertThat(InputLine.visibleText("a" + FAINT + "bc\u001B[22md")).isEqualTo("a  d");
        assertThat(InputLine.visibleText("\u001B]8;;http://x\u0007link\u001B]8;;\u0007")).isEqualTo("link");
    }

    @Test
    void stillHoldsTellsSubmittedFromPending() {
        var pending = new InputLine.Draft(0, "huddle: read your messages");
        assertThat(InputLine.stillHolds(pending, "huddle: read your messages")).isTrue();
        assertThat(InputLine.stillHolds(new InputLine.Draft(0, "huddle: re"), "huddle: read your messages")).as("wrapped").isTrue();
        assertThat(InputLine.stillHolds(new InputLine.Draft(0, ""), "huddle: read")).isFalse();
        assertThat(InputLine.stillHolds(new InputLine.Draft(0, "something else"), "huddle: read")).isFalse();
    }
}
