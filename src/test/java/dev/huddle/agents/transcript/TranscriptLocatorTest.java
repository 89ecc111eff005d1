package dev.huddle.agents.transcript;

import dev.huddle.core.identity.ClientType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Where transcripts are, per client, from a scratch home (the oxtail bugs: wrong Claude folder names, a 3-day Codex window). */
class TranscriptLocatorTest {
    @TempDir
    Path home;

    private static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{}\n");
        return p;
    }

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void claudeProjectNamesReplaceEveryCharacterButAsciiLettersAndDigits() {
        assertThat(TranscriptLocator.claudeProjectName("/home/u/my_repo.v2")).isEqualTo("-home-u-my-repo-v2");
        assertThat(TranscriptLocator.claudeProjectName("/tmp/a b.c_d-é")).isEqualTo("-tmp-a-b-c-d--");
        assertThat(TranscriptLocator.claudeProjectName("/x/😀")).as("one '-' per UTF-16 unit, as JavaScript").isEqualTo("-x---");
    }

    @Test
    void claudeIsFoundForAWorkingDirectoryWithDotsUnderscoresAndSpaces() throws IOException {
        String sid = UUID.randomUUID().toString();
        String cwd = "/srv/work/my repo.v2_final";
        Path file = touch(home.resolve(".claude/projects/-srv-work-my-repo-v2-final/" + sid + ".jsonl"));
        var r = TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, cwd, null, env());
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
        String name = TranscriptLocator.claudeProjectName(cwd);
        assertThat(name.length()).isGreaterThan(200);
        Path file = touch(config.resolve("projects/" + name.substring(0, 200) + "-1f3kq2a/" + sid + ".jsonl")); // a Bun hash
        var r = TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, cwd, null, Map.of("HOME", home.toString(), "CLAUDE_CONFIG_DIR", config.toString()));
        assertThat(r.found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(file));
        // Node's djb2 variant is tried first, and found too
        Path node = touch(config.resolve("projects/" + name.substring(0, 200) + "-" + TranscriptLocator.claudeNodeHash(cwd) + "/" + sid + ".jsonl"));
        assertThat(TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, cwd, null, Map.of("HOME", home.toString(),
                "CLAUDE_CONFIG_DIR", config.toString())).found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(node));
    }

    @Test
    void claudeFallsBackToAnyProjectAndReportsWhereItLooked() throws IOException {
        String sid = UUID.randomUUID().toString();
        Path elsewhere = touch(home.resolve(".claude/projects/-somewhere-else/" + sid + ".jsonl"));
        assertThat(TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, "/not/here", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(elsewhere));
        var missing = TranscriptLocator.locate(ClientType.CLAUDE_CODE, "nope-" + sid, "/not/here", null, env());
        assertThat(missing.found()).isEmpty();
        assertThat(missing.looked()).anyMatch(l -> l.contains("-not-here/nope-" + sid + ".jsonl"));
    }

    @Test
    void theHooksReportedPathComesFirstButOnlyForTranscriptFiles() throws IOException {
        String sid = UUID.randomUUID().toString();
        Path reported = touch(home.resolve("elsewhere/" + sid + ".jsonl"));
        touch(home.resolve(".claude/projects/-r/" + sid + ".jsonl"));
        var r = TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, "/r", reported.toString(), env());
        assertThat(r.found()).hasValueSatisfying(f -> assertThat(f).isEqualTo(new TranscriptLocator.Found(reported, "reported")));
        Path secret = touch(home.resolve(".ssh/id_ed25519"));
        var refused = TranscriptLocator.locate(ClientType.CLAUDE_CODE, sid, "/r", secret.toString(), env());
        assertThat(refused.found()).hasValueSatisfying(f -> assertThat(f.source()).isEqualTo("computed"));
    }

    @Test
    void codexIsFoundOnAnyDayAndInTheArchive() throws IOException {
        // A UUIDv7 thread id from 400 days ago: its day is tried first.
        long ms = Instant.parse("2025-10-17T23:30:00Z").toEpochMilli();
        String thread = new UUID((ms << 16) | 0x7000L | 0x123L, 0x8000_0000_0000_0001L).toString();
        Path dated = touch(home.resolve(".codex/sessions/2025/10/17/rollout-2025-10-17T23-30-00-" + thread + ".jsonl"));
        assertThat(TranscriptLocator.uuidV7Time(thread)).contains(Instant.ofEpochMilli(ms));
        assertThat(TranscriptLocator.locate(ClientType.CODEX, thread, "/x", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(dated));
        // A thread id that is not v7, on an old day: every day is looked at.
        String v4 = UUID.randomUUID().toString();
        Path old = touch(home.resolve("ch/sessions/2024/02/29/rollout-2024-02-29T08-00-00-" + v4 + ".jsonl"));
        touch(home.resolve("ch/sessions/2026/11/21/rollout-2026-11-21T08-00-00-other.jsonl"));
        assertThat(TranscriptLocator.locate(ClientType.CODEX, v4, "/x", null, Map.of("HOME", home.toString(),
                "CODEX_HOME", home.resolve("ch").toString())).found()).hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(old));
        String archivedId = UUID.randomUUID().toString();
        Path archived = touch(home.resolve(".codex/archived_sessions/rollout-2025-01-01T00-00-00-" + archivedId + ".jsonl"));
        assertThat(TranscriptLocator.locate(ClientType.CODEX, archivedId, "/x", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(archived));
    }

    @Test
    void geminiIsFoundThroughTheRegistryTheMarkerOrTheOldHash() throws IOException {
        String cwd = "/srv/my repo.v2_x";
        String sid = "8f3c2b1a-77aa-4bcd-9e01-23456789abcd";
        Path tmp = home.resolve(".gemini/tmp");
        Files.createDirectories(tmp);
        Files.writeString(home.resolve(".gemini/projects.json"), "{\"projects\":{\"" + cwd + "\":\"my-repo-v2-x\"}}");
        Path viaRegistry = touch(tmp.resolve("my-repo-v2-x/chats/session-2026-11-21T12-00-8f3c2b1a.jsonl"));
        assertThat(TranscriptLocator.locate(ClientType.GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(viaRegistry));

        Files.delete(home.resolve(".gemini/projects.json"));
        Files.delete(viaRegistry);
        Path marked = touch(tmp.resolve("repo-1/chats/session-2026-11-21T12-00-8f3c2b1a.jsonl"));
        Files.writeString(tmp.resolve("repo-1/.project_root"), cwd);
        assertThat(TranscriptLocator.locate(ClientType.GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(marked));

        Files.delete(marked);
        Path hashed = touch(tmp.resolve(TranscriptLocator.sha256(cwd) + "/chats/session-2025-06-01T09-00-8f3c2b1a.json"));
        assertThat(TranscriptLocator.locate(ClientType.GEMINI, sid, cwd, null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(hashed));

        // Two sessions sharing the 8-character prefix: the metadata line decides.
        Path a = tmp.resolve("other/chats/session-2026-11-20T10-00-8f3c2b1a.jsonl");
        Files.createDirectories(a.getParent());
        Files.writeString(a, "{\"sessionId\":\"8f3c2b1a-0000-0000-0000-000000000000\",\"projectHash\":\"x\"}\n");
        Path b = tmp.resolve("other/chats/session-2026-11-19T10-00-8f3c2b1a.jsonl");
        Files.writeString(b, "{\"sessionId\":\"" + sid + "\",\"projectHash\":\"x\"}\n");
        Files.delete(hashed);
        assertThat(TranscriptLocator.locate(ClientType.GEMINI, sid, "/elsewhere", null, env()).found())
                .hasValueSatisfying(f -> assertThat(f.file()).isEqualTo(b));
    }

    @Test
    void sessionIdsThatCouldEscapeADirectoryAreRefused() {
        var r = TranscriptLocator.locate(ClientType.CLAUDE_CODE, "../../etc/passwd", "/x", null, env());
        assertThat(r.found()).isEmpty();
        assertThat(TranscriptLocator.locate(ClientType.CLAUDE_CODE, "a/b", "/x", null, env()).found()).isEmpty();
    }
}
