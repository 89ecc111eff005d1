package dev.huddle.hub.control;

import dev.huddle.protocol.tools.ToolNames;
import dev.huddle.protocol.tools.Tools;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cockpit's nudge names the tools the agent has (it once asked for list_open_work, which never existed). */
class NudgeTextTest {
    @Test
    void theNudgeNamesOnlyRealTools() {
        assertThat(OperatorMessages.NUDGE_TEXT).contains(Tools.READ_MY_MESSAGES.name(), Tools.MY_OPEN_WORK.name())
                .doesNotContain("list_open_work");
        assertThat(ToolNames.unknownIn(OperatorMessages.NUDGE_TEXT)).isEmpty();
        assertThat(ToolNames.unknownIn("call list_open_work, then read_my_messages")).containsExactly("list_open_work");
    }
}
