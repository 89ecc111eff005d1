package dev.huddle.agents.codex;

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

/** Where Codex's rollouts are, from a scratch home (the oxtail bug: a 3-day Codex window). */
class CodexRolloutsTest {
    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void codexIsFoundOnAnyDayAndInTheArchive() throws IOException {
        // A UUIDv7 thread id from 400 days ago: its day is tried first.
        long ms = Instant.parse("2025-10-17T23:30:00Z").toEpochMilli();
        String thread = new UUID((ms << 16) | 0x7000L | 0x123L, 0x8000_0000_0000_0001L).toString();
        Path dated = touch(home.resolve(".codex/sessions/2025/10/17/rollout-2025-10-17T23-30-00-" + thread + ".jsonl"));
        assertThat(CodexRollouts.uuidV7Time(thread)).contains(Instant.ofEpochMilli(ms));
        assertThat(TranscriptLocator.locate(CodexRollouts.FORMAT, thread, "/x", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(dated));
        // A thread id that is not v7, on an old day: every day is looked at.
        String v4 = UUID.randomUUID().toString();
        Path old = touch(home.resolve("ch/sessions/2024/02/29/rollout-2024-02-29T08-00-00-" + v4 + ".jsonl"));
        touch(home.resolve("ch/sessions/2026/11/21/rollout-2026-11-21T08-00-00-other.jsonl"));
        assertThat(TranscriptLocator.locate(CodexRollouts.FORMAT, v4, "/x", null, Map.of("HOME", home.toString(),
                "CODEX_HOME", home.resolve("ch").toString())).found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(old));
        String archivedId = UUID.randomUUID().toString();
        Path archived = touch(home.resolve(".codex/archived_sessions/rollout-2025-01-01T00-00-00-" + archivedId + ".jsonl"));
        assertThat(TranscriptLocator.locate(CodexRollouts.FORMAT, archivedId, "/x", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(archived));
    }
}
