package dev.huddle.agents;

import dev.huddle.core.HuddleError;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class HookPayloadTest {
    private static HookPayload parse(String s) {
        return HookPayload.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFieldsOfAClaudePreToolUseAndSkipsTheRest() {
        HookPayload p = parse("{\"session_id\":\"abc-123\",\"prompt_id\":\"x\",\"transcript_path\":\"/h/.claude/projects/-r/abc-123.jsonl\","
                + "\"cwd\":\"/r\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                + "\"tool_input\":{\"command\":\"npm test\",\"nested\":[1,{\"session_id\":\"not-this\"}]},\"tool_use_id\":\"toolu_01\"}");
        assertThat(p.sessionId()).isEqualTo("abc-123");
        assertThat(p.transcriptPath()).isEqualTo("/h/.claude/projects/-r/abc-123.jsonl");
        assertThat(p.cwd()).isEqualTo("/r");
        assertThat(p.toolName()).isEqualTo("Bash");
        assertThat(p.toolUseId()).isEqualTo("toolu_01");
        assertThat(p.inSubagent()).isFalse();
        assertThat(p.stopHookActive()).isFalse();
        assertThat(p.toolFilePath()).isNull();
    }

    @Test
    void readsTheFileAnEditNamesFromTheTopOfToolInputOnly() {
        assertThat(parse("{\"session_id\":\"s1\",\"tool_input\":{\"content\":\"" + "x".repeat(100_000)
                + "\",\"nested\":{\"file_path\":\"/not/this\"},\"file_path\":\"/r/src/a.txt\"},\"tool_name\":\"Write\"}").toolFilePath())
                .isEqualTo("/r/src/a.txt");
        assertThat(parse("{\"session_id\":\"s1\",\"tool_input\":{\"notebook_path\":\"/r/n.ipynb\"}}").toolFilePath()).isEqualTo("/r/n.ipynb");
        assertThat(parse("{\"session_id\":\"s1\",\"tool_input\":{\"file_path\":7}}").toolFilePath()).isNull();
        assertThat(parse("{\"session_id\":\"s1\",\"tool_input\":\"file_path\"}").toolFilePath()).isNull();
        assertThat(parse("{\"session_id\":\"s1\",\"tool_input\":{\"file_path\":\"/a\\nb\"}}").toolFilePath()).isNull();
    }

    @Test
    void subagentsStopHookActiveSourceAndReason() {
        assertThat(parse("{\"session_id\":\"s1\",\"agent_id\":\"a1\",\"agent_type\":\"Explore\"}").inSubagent()).isTrue();
        assertThat(parse("{\"session_id\":\"s1\",\"agent_id\":\"\"}").inSubagent()).as("empty is not a subagent").isFalse();
        assertThat(parse("{\"session_id\":\"s1\",\"stop_hook_active\":true}").stopHookActive()).isTrue();
        assertThat(parse("{\"session_id\":\"s1\",\"source\":\"clear\"}").source()).isEqualTo("clear");
        assertThat(parse("{\"session_id\":\"s1\",\"reason\":\"logout\"}").source()).isEqualTo("logout");
    }

    @Test
    void relativeOrControlCharacterPathsAreDropped() {
        assertThat(parse("{\"session_id\":\"s1\",\"transcript_path\":\"rel/x.jsonl\",\"cwd\":\"/a\\nb\"}").transcriptPath()).isNull();
        assertThat(parse("{\"session_id\":\"s1\",\"transcript_path\":null,\"cwd\":\"/a\\nb\"}").cwd()).isNull();
    }

    @Test
    void badPayloadsGetTheirOwnCodes() {
        assertThat(code("")).isEqualTo("empty-payload");
        assertThat(code("  \n\t")).isEqualTo("empty-payload");
        assertThat(code("nope")).isEqualTo("bad-payload");
        assertThat(code("[]")).isEqualTo("bad-payload");
        assertThat(code("{\"session_id\":\"s1\"} {}")).isEqualTo("bad-payload");
        assertThat(code("{\"session_id\":\"s1\"")).isEqualTo("bad-payload");
        assertThat(code("{}")).isEqualTo("bad-session-id");
        assertThat(code("{\"session_id\":null}")).isEqualTo("bad-session-id");
        assertThat(code("{\"session_id\":{\"a\":1}}")).isEqualTo("bad-session-id");
        assertThat(code("{\"session_id\":\"a/b\"}")).isEqualTo("bad-session-id");
        assertThat(code("{\"session_id\":\"s1\",\"cwd\":\"/" + "a".repeat(5000) + "\"}")).isEqualTo("bad-payload");
    }

    @Property(tries = 300)
    void arbitraryBytesNeverThrowAnythingButAHuddleError(@ForAll byte[] bytes) {
        Throwable t = catchThrowable(() -> HookPayload.parse(bytes));
        if (t != null) assertThat(t).isInstanceOf(HuddleError.class);
    }

    private static String code(String s) {
        Throwable t = catchThrowable(() -> parse(s));
        assertThat(t).as("refused: " + s).isInstanceOf(HuddleError.class);
        return ((HuddleError) t).code();
    }

    @Test
    void nullIsEmpty() {
        assertThatThrownBy(() -> HookPayload.parse(null)).isInstanceOf(HuddleError.class);
    }
}
