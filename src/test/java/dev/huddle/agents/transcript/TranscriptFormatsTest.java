package dev.huddle.agents.transcript;

import dev.huddle.agents.claude.ClaudeTranscript;
import dev.huddle.agents.codex.CodexRollout;
import dev.huddle.agents.gemini.GeminiChat;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three formats against fixtures written in the documented shapes (src/test/resources/transcripts): what a
 * peer sees, with and without tools, from the end of the file and from its start.
 */
class TranscriptFormatsTest {
    static Path fixture(String name) {
        try {
            return Path.of(TranscriptFormatsTest.class.getResource("/transcripts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Path CLAUDE = fixture("claude-session.jsonl");
    static final Path CODEX = fixture("codex-rollout-2026-11-21T11-16-43-01a01ee3-393c-7cb1-818e-268d8e2ae938.jsonl");
    static final Path GEMINI = fixture("gemini-session-2026-11-21T12-00-8f3c2b1a.jsonl");

    private static List<String> lines(List<TranscriptMessage> ms) {
        return ms.stream().map(m -> m.role() + ": " + m.text()).toList();
    }

    @Test
    void claudeCodeFollowsTheChainGroupsResponsesAndSkipsWhatNobodyTyped() throws Exception {
        Tail t = ClaudeTranscript.tail(CLAUDE, 50, false);
        assertThat(lines(t.messages())).containsExactly(
                "user: Fix the failing parser test",
                "assistant: I'll run the tests first.",
                "assistant: The off-by-one is in parse_header; fixing it.",
                "assistant: Fixed: all 13 tests pass now.",
                "user: /model opus",
                "user: Now add a test for the header",
                "assistant: Added test_header_offset.",
                "summary: This session is being continued from a previous conversation that ran out of context. Summary: the parser off-by-one was fixed and a test added.",
                "user: Commit it\n[image]",
                "assistant: Committed as 1a2b3c4.");
        assertThat(t.total()).isEqualTo(10);
        assertThat(t.more()).isFalse();
        assertThat(t.skippedLines()).as("the torn last line").isEqualTo(1);
        // one response written as three lines is one message, stamped with its first line
        assertThat(t.messages().get(1).timestamp()).isEqualTo(Instant.parse("2026-11-21T10:00:02.000Z"));
        assertThat(ClaudeTranscript.readAll(CLAUDE, false)).isEqualTo(t.messages());
    }

    @Test
    void claudeCodeToolCallsCarryTheirResults() throws Exception {
        Tail t = ClaudeTranscript.tail(CLAUDE, 50, true);
        TranscriptMessage run = t.messages().get(1);
        assertThat(run.toolCalls()).containsExactly(new ToolCall("Bash", "pytest -q tests/test_parser.py",
                "1 failed, 12 passed E AssertionError: expected 3 got 2", true));
        assertThat(t.messages().get(2).toolCalls()).containsExactly(new ToolCall("Edit", "/home/u/my repo.v2_x/parser.py",
                "The file parser.py has been updated.", null));
        assertThat(ClaudeTranscript.readAll(CLAUDE, true)).isEqualTo(t.messages());
    }

    @Test
    void claudeCodeTailStopsAtTheLimitAndSaysThereIsMore() throws Exception {
        Tail t = ClaudeTranscript.tail(CLAUDE, 3, false);
        assertThat(lines(t.messages())).containsExactly(
                "summary: This session is being continued from a previous conversation that ran out of context. Summary: the parser off-by-one was fixed and a test added.",
                "user: Commit it\n[image]",
                "assistant: Committed as 1a2b3c4.");
        assertThat(t.more()).isTrue();
        assertThat(t.total()).as("a small file is counted to its start").isEqualTo(10);
    }

    @Test
    void codexSkipsDeveloperAndInjectedContextAndJoinsCallsToTheMessageBefore() throws Exception {
        Tail t = CodexRollout.tail(CODEX, 50, false);
        assertThat(lines(t.messages())).containsExactly(
                "user: Read sample.py. Name two edge cases slugify mishandles.",
                "assistant: I'll inspect `sample.py` first.",
                "assistant: - Multiple spaces give repeated hyphens.\n- Punctuation stays.",
                "summary: Summary: slugify edge cases found; patch applied to sample.py.",
                "user: Now run the tests",
                "assistant: All 3 tests pass.");
        assertThat(CodexRollout.readAll(CODEX, false)).isEqualTo(t.messages());

        Tail tools = CodexRollout.tail(CODEX, 50, true);
        assertThat(tools.messages().get(1).toolCalls()).containsExactly(
                new ToolCall("shell_command", "cat sample.py", "def slugify(s): return s.lower().replace(' ', '-')", null),
                new ToolCall("apply_patch", "*** Begin Patch *** Update File: sample.py @@ - return s.lower() + return s.strip().lower() *** End Patch",
                        "Success. Updated the following files: M sample.py", null));
        assertThat(lines(tools.messages()).subList(4, 7)).containsExactly(
                "user: Now run the tests", "assistant: ", "assistant: All 3 tests pass.");
        assertThat(tools.messages().get(5).toolCalls()).containsExactly(new ToolCall("shell", "bash -lc pytest -q", "3 passed", null));
        assertThat(CodexRollout.readAll(CODEX, true)).isEqualTo(tools.messages());
    }

    @Test
    void codexInjectedBlocks() {
        assertThat(CodexRollout.injected("# AGENTS.md instructions for /x\n\n<INSTRUCTIONS>\nhi\n</INSTRUCTIONS>")).isTrue();
        assertThat(CodexRollout.injected("<environment_context>\n<cwd>/x</cwd>\n</environment_context>")).isTrue();
        assertThat(CodexRollout.injected("  <user_instructions>be brief</user_instructions>  ")).isTrue();
        assertThat(CodexRollout.injected("<turn_aborted>")).isTrue();
        assertThat(CodexRollout.injected("please fix <b>this</b>")).isFalse();
        assertThat(CodexRollout.injected("Run the tests")).isFalse();
    }

    @Test
    void geminiKeepsTheLatestRecordOfAMessageAndHonoursRewinds() throws Exception {
        Tail t = GeminiChat.tail(GEMINI, 50, false);
        assertThat(lines(t.messages())).containsExactly(
                "user: Explain @README.md",
                "assistant: Let me read it.",
                "assistant: huddle coordinates AI coding agents in one repository.",
                "user: Summarise it in one line",
                "assistant: huddle: agents that see, message and wake each other.");
        assertThat(t.total()).isEqualTo(5);
        assertThat(GeminiChat.readAll(GEMINI, false)).isEqualTo(t.messages());

        Tail tools = GeminiChat.tail(GEMINI, 50, true);
        assertThat(tools.messages().get(1).toolCalls()).containsExactly(
                new ToolCall("read_file", "/home/u/my repo.v2_x/README.md", "# huddle huddle is a local coordination layer", false));
        assertThat(tools.messages().get(4).toolCalls()).containsExactly(
                new ToolCall("run_shell_command", "git log -1 --oneline", "fatal: not a git repository", true));
        assertThat(GeminiChat.readAll(GEMINI, true)).isEqualTo(tools.messages());
    }

    @Test
    void budgetKeepsTheNewestWholeAndCutsTheOldestFromItsStart() {
        List<TranscriptMessage> ms = List.of(
                new TranscriptMessage("user", "a".repeat(500), null, List.of()),
                new TranscriptMessage("assistant", "b".repeat(300), null, List.of()),
                new TranscriptMessage("user", "c".repeat(100), null, List.of()));
        TailBudget.Fitted f = TailBudget.fit(ms, 600);
        assertThat(f.cut()).isTrue();
        assertThat(f.kept()).hasSize(3);
        assertThat(f.kept().get(0).text()).startsWith("…[+").endsWith("aaaa").contains("bytes cut]");
        assertThat(f.bytes()).isLessThanOrEqualTo(600);
        assertThat(f.kept().get(2).text()).isEqualTo("c".repeat(100));

        TailBudget.Fitted tiny = TailBudget.fit(ms, 50);
        assertThat(tiny.kept()).as("the newest is always kept").hasSize(1);
        assertThat(tiny.kept().getFirst().text()).endsWith("ccc");
        assertThat(TailBudget.fit(ms, 10_000).cut()).isFalse();
    }
}
