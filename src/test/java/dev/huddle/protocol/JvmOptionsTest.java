package dev.huddle.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher ({@code ./huddle}, POSIX sh) repeats the JVM flags literally: a front or CLI started through it must
 * run with exactly the flags the AOT caches were trained with (AOT refuses a cache made with another GC or heap
 * mode), and the same flags as the hub and the tests start fronts with.
 */
class JvmOptionsTest {

    private static Path launcher() {
        String basedir = System.getProperty("basedir");
        return (basedir != null ? Path.of(basedir) : Path.of("")).toAbsolutePath().resolve("huddle");
    }

    private static List<String> shellList(String script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"$`]*)\"\\s*$").matcher(script);
        assertThat(m.find()).as("the launcher defines %s=\"...\" on a line of its own, without expansions", variable).isTrue();
        List<String> flags = Arrays.stream(m.group(1).strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        assertThat(m.find()).as("%s is defined once", variable).isFalse();
        return flags;
    }

    @Test
    void launcherFlagsEqualJvmOptions() throws IOException {
        String script = Files.readString(launcher());
        assertThat(shellList(script, "HUDDLE_CLI_FLAGS")).as("HUDDLE_CLI_FLAGS in ./huddle").isEqualTo(JvmOptions.COMMON);
        assertThat(shellList(script, "HUDDLE_FRONT_FLAGS")).as("HUDDLE_FRONT_FLAGS in ./huddle").isEqualTo(JvmOptions.FRONT);

        List<String> front = new ArrayList<>(shellList(script, "HUDDLE_CLI_FLAGS"));
        front.addAll(shellList(script, "HUDDLE_FRONT_FLAGS"));
        List<String> expected = new ArrayList<>(JvmOptions.COMMON);
        expected.addAll(JvmOptions.FRONT);
        assertThat(front).as("the front's flags: HUDDLE_CLI_FLAGS + HUDDLE_FRONT_FLAGS").isEqualTo(expected);
    }

    @Test
    void theLaunchersEarlyHubRunsAsTheFrontStartsOne() throws IOException {
        // On a cold start `huddle mcp` starts the hub itself (early_hub): with the hub's flags (its AOT cache was
        // trained with them), and without the variables that describe the agent, as HubStarter does.
        String script = Files.readString(launcher());
        assertThat(shellList(script, "HUDDLE_HUB_FLAGS")).as("HUDDLE_HUB_FLAGS in ./huddle").isEqualTo(JvmOptions.HUB);
        assertThat(shellList(script, "HUDDLE_AGENT_VARS")).as("HUDDLE_AGENT_VARS in ./huddle").containsExactlyInAnyOrderElementsOf(
                Arrays.stream(AgentEnv.values()).filter(AgentEnv::describesTheAgent).map(Enum::name).toList());
    }

    @Test
    void noCdsFlagsNextToAot() {
        // -Xshare / SharedArchiveFile together with -XX:AOTCache stops the JVM from starting.
        List<String> all = new ArrayList<>(JvmOptions.COMMON);
        all.addAll(JvmOptions.FRONT);
        all.addAll(JvmOptions.HUB);
        assertThat(all).noneMatch(f -> f.startsWith("-Xshare") || f.contains("SharedArchiveFile") || f.contains("AOTCache"));
    }

    @Test
    void stdoutStaysCleanForMcp() {
        // JVM log lines (an unusable AOT cache among them) would corrupt the front's MCP stream on stdout.
        assertThat(JvmOptions.COMMON).startsWith("-Xlog:disable", "-Xlog:all=warning:stderr");
    }
}
