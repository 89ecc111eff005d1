package dev.huddle.hub.control;

import dev.huddle.protocol.tools.ToolContract;
import dev.huddle.protocol.tools.Tools;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorSendsTest {
    @Test
    void theNudgeNamesToolsThatExist() {
        List<String> named = Pattern.compile("\\b[a-z]+(?:_[a-z]+)+\\b").matcher(OperatorSends.NUDGE_TEXT).results()
                .map(MatchResult::group).toList();
        assertThat(named).containsExactly("read_my_messages", "my_open_work");
        assertThat(Tools.ALL.stream().map(ToolContract::name).toList()).containsAll(named);
    }
}
