package dev.huddle.agents.transcript;

import dev.huddle.agents.claude.ClaudeTranscripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static dev.huddle.agents.transcript.ScratchFiles.touch;
import static org.assertj.core.api.Assertions.assertThat;

/** The rules every client's transcript lookup shares: the hooks' path first, no id that escapes a directory, an unknown client. */
class TranscriptLocatorTest {
    private static final TranscriptFormat CLAUDE = ClaudeTranscripts.FORMAT;

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void theHooksReportedPathComesFirstButOnlyForTranscriptFiles() throws IOException {
        String sid = UUID.randomUUID().toString();
        Path reported = touch(home.resolve("elsewhere/" + sid + ".jsonl"));
        touch(home.resolve(".claude/projects/-r/" + sid + ".jsonl"));
        var r = TranscriptLocator.locate(CLAUDE, sid, "/r", reported.toString(), env());
        assertThat(r.found()).hasValueSatisfying(f -> assertThat(f).isEqualTo(new TranscriptLocator.Found(reported, "reported")));
        Path secret = touch(home.resolve(".ssh/id_ed25519"));
        var refused = TranscriptLocator.locate(CLAUDE, sid, "/r", secret.toString(), env());
        assertThat(refused.found()).hasValueSatisfying(f -> assertThat(f.source()).isEqualTo("computed"));
    }

    @Test
    void sessionIdsThatCouldEscapeADirectoryAreRefused() {
        var r = TranscriptLocator.locate(CLAUDE, "../../etc/passwd", "/x", null, env());
        assertThat(r.found()).isEmpty();
        assertThat(TranscriptLocator.locate(CLAUDE, "a/b", "/x", null, env()).found()).isEmpty();
    }

    @Test
    void anUnknownClientHasNoNamingRule() {
        var r = TranscriptLocator.locate(null, UUID.randomUUID().toString(), "/x", null, env());
        assertThat(r.found()).isEmpty();
        assertThat(r.looked()).containsExactly("the client is unknown, so its transcript format is too");
    }
}
