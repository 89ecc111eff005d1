package dev.huddle.agents.gemini;

import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.agents.transcript.TranscriptLocator;
import dev.huddle.core.identity.Handles;
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

/** Where Gemini CLI's chats are, from a scratch home. */
class GeminiChatsTest {
    private static final TranscriptFormat GEMINI = GeminiChats.FORMAT;

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void geminiIsFoundThroughTheRegistryTheMarkerOrTheOldHash() throws IOException {
        String cwd = "/srv/my repo.v2_x";
        String sid = "8f3c2b1a-77aa-4bcd-9e01-23456789abcd";
        Path tmp = home.resolve(".gemini/tmp");
        Files.createDirectories(tmp);
        Files.writeString(home.resolve(".gemini/projects.json"), "{\"projects\":{\"" + cwd + "\":\"my-repo-v2-x\"}}");
        Path viaRegistry = touch(tmp.resolve("my-repo-v2-x/chats/session-2026-11-21T12-00-8f3c2b1a.jsonl"));
        assertThat(TranscriptLocator.locate(GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(viaRegistry));

        Files.delete(home.resolve(".gemini/projects.json"));
        Files.delete(viaRegistry);
        Path marked = touch(tmp.resolve("repo-1/chats/session-2026-11-21T12-00-8f3c2b1a.jsonl"));
        Files.writeString(tmp.resolve("repo-1/.project_root"), cwd);
        assertThat(TranscriptLocator.locate(GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(marked));

        Files.delete(marked);
        Path hashed = touch(tmp.resolve(Handles.sha256Hex(cwd) + "/chats/session-2025-06-01T09-00-8f3c2b1a.json"));
        assertThat(TranscriptLocator.locate(GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(hashed));

        // Two sessions sharing the 8-character prefix: the metadata line decides.
        Path a = tmp.resolve("other/chats/session-2026-11-20T10-00-8f3c2b1a.jsonl");
        Files.createDirectories(a.getParent());
        Files.writeString(a, "{\"sessionId\":\"8f3c2b1a-0000-0000-0000-000000000000\",\"projectHash\":\"x\"}\n");
        Path b = tmp.resolve("other/chats/session-2026-11-19T10-00-8f3c2b1a.jsonl");
        Files.writeString(b, "{\"sessionId\":\"" + sid + "\",\"projectHash\":\"x\"}\n");
        Files.delete(hashed);
        assertThat(TranscriptLocator.locate(GEMINI, sid, "/elsewhere", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(b));
    }
}
