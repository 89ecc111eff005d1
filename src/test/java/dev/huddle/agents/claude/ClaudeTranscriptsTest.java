package dev.huddle.agents.claude;

import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.agents.transcript.TranscriptLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static dev.huddle.agents.transcript.ScratchFiles.touch;
import static org.assertj.core.api.Assertions.assertThat;

/** Where Claude Code's transcripts are, from a scratch home (the oxtail bugs: wrong Claude folder names). */
class ClaudeTranscriptsTest {
    private static final TranscriptFormat CLAUDE = ClaudeTranscripts.FORMAT;

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void claudeProjectNamesReplaceEveryCharacterButAsciiLettersAndDigits() {
        assertThat(ClaudeTranscripts.projectName("/home/u/my_repo.v2")).isEqualTo("-home-u-my-repo-v2");
        assertThat(ClaudeTranscripts.projectName("/tmp/a b.c_d-é")).isEqualTo("-tmp-a-b-c-d--");
        assertThat(ClaudeTranscripts.projectName("/x/😀")).as("one '-' per UTF-16 unit, as JavaScript").isEqualTo("-x---");
    }

    @Test
    void claudeIsFoundForAWorkingDirectoryWithDotsUnderscoresAndSpaces() throws IOException {
        String sid = UUID.randomUUID().toString();
        String cwd = "/srv/work/my repo.v2_final";
        Path file = touch(home.resolve(".claude/projects/-srv-work-my-repo-v2-final/" + sid + ".jsonl"));
        var r = TranscriptLocator.locate(CLAUDE, sid, cwd, null, env());
        assertThat(r.found()).hasValueSatisfying(f -> {
            assertThat(f.file()).isEqualTo(file);
            assertThat(f.source()).isEqualTo("computed");
        });
    }

    @Test
    void claudeConfigDirWinsAndLongNamesAreFoundByTheirPrefix() throws IOException {
        String sid = UUID.randomUUID().toString();
        Path config = home.resolve("cfg");
        String cwd = "/" + "deep/".repeat(50) + "repo";
        String name = ClaudeTranscripts.projectName(cwd);
        assertThat(name.length()).isGreaterThan(200);
        Path file = touch(config.resolve("projects/" + name.substring(0, 200) + "-1f3kq2a/" + sid + ".jsonl")); // a Bun hash
        var r = TranscriptLocator.locate(CLAUDE, sid, cwd, null, Map.of("HOME", home.toString(), "CLAUDE_CONFIG_DIR", config.toString()));
        assertThat(r.found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(file));
        // Node's djb2 variant is tried first, and found too
        Path node = touch(config.resolve("projects/" + name.substring(0, 200) + "-" + ClaudeTranscripts.nodeHash(cwd) + "/" + sid + ".jsonl"));
        assertThat(TranscriptLocator.locate(CLAUDE, sid, cwd, null, Map.of("HOME", home.toString(),
                "CLAUDE_CONFIG_DIR", config.toString())).found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(node));
    }

    @Test
    void claudeFallsBackToAnyProjectAndReportsWhereItLooked() throws IOException {
        String sid = UUID.randomUUID().toString();
        Path elsewhere = touch(home.resolve(".claude/projects/-somewhere-else/" + sid + ".jsonl"));
        assertThat(TranscriptLocator.locate(CLAUDE, sid, "/not/here", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(elsewhere));
        var missing = TranscriptLocator.locate(CLAUDE, "nope-" + sid, "/not/here", null, env());
        assertThat(missing.found()).isEmpty();
        assertThat(missing.looked()).anyMatch(l -> l.contains("-not-here/nope-" + sid + ".jsonl"));
    }
}
