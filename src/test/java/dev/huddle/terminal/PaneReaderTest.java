package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PaneReader} with a scripted tmux: the pane the process tree proves, never the one the agent reports. */
class PaneReaderTest {
    private static final ProcessInspector PROCESSES = new ProcessInspector();
    private final AgentProcess me = PROCESSES.describe(ProcessHandle.current().pid()).orElseThrow();
    private final long panePid = ProcessHandle.current().parent().orElseThrow().pid();
    @TempDir
    Path tmp;
    private Path tmuxBinary;
    private Path socket;
    private String screen;
    private String afterCapture;

    @BeforeEach
    void setUp() throws IOException {
        tmuxBinary = Files.createFile(tmp.resolve("tmux"));
        tmuxBinary.toFile().setExecutable(true);
        socket = Files.createFile(tmp.resolve("tmux.sock"));
        screen = "$ make test\nok\n\n\n";
        afterCapture = "%7\t" + panePid;
    }

    private ScriptedRunner tmux() {
        return new ScriptedRunner(c -> switch (c.argv().stream().filter(a -> !a.startsWith("-") && !a.startsWith("/")).findFirst().orElse("")) {
            // %1 is the pane the agent claims (TMUX_PANE); %7's process is the agent's parent
            case "list-panes" -> ScriptedRunner.ok("%1\t1\tother\t0\n%7\t" + panePid + "\tdev\t2\n");
            case "capture-pane" -> ScriptedRunner.ok(screen);
            case "display-message" -> ScriptedRunner.ok(afterCapture + "\n");
            default -> new CommandRunner.Result(1, "", "unexpected");
        });
    }

    private PaneReader reader(ScriptedRunner runner) {
        return new PaneReader(runner, PROCESSES, tmuxBinary.toString(), Duration.ofSeconds(2));
    }

    @Test
    void theProvenPaneIsCapturedOnTheAgentsTmuxServer() {
        ScriptedRunner runner = tmux();
        PaneReader.Outcome o = reader(runner).capture(me, Map.of("TMUX", socket + ",123,0", "TMUX_PANE", "%1"), 240, 20_000);
        assertThat(o.captured()).as(o.reason()).isTrue();
        assertThat(o.capture()).isEqualTo(new PaneReader.Capture("dev", "%7", "2", 240, "$ make test\nok", 0));
        assertThat(runner.lines()).anyMatch(l -> l.endsWith("-u -S " + socket + " capture-pane -p -J -t %7 -S -240 -E -"));
        assertThat(runner.lines()).noneMatch(l -> l.contains("-t %1"));
    }

    @Test
    void theNewestCharactersAreKept() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100; i++) s.append("line ").append(i).append('\n');
        screen = s.toString();
        PaneReader.Outcome o = reader(tmux()).capture(me, Map.of(), 240, 500);
        assertThat(o.capture().text()).endsWith("line 99").startsWith("line ").hasSizeLessThanOrEqualTo(500);
        assertThat(o.capture().truncatedChars()).isEqualTo(s.toString().strip().length() - o.capture().text().length());
    }

    @Test
    void aPaneThatChangedDuringTheCaptureIsNotShown() {
        afterCapture = "%7\t99999999";
        PaneReader.Outcome o = reader(tmux()).capture(me, Map.of(), 240, 20_000);
        assertThat(o.captured()).isFalse();
        assertThat(o.reason()).contains("stopped hosting the agent");
    }

    @Test
    void noPaneNoProcessNoTmux() {
        ScriptedRunner none = new ScriptedRunner(c -> ScriptedRunner.ok("%1\t1\tinit\t0\n%2\t999999999\tother\t0\n"));
        assertThat(reader(none).capture(me, Map.of(), 240, 20_000).reason()).contains("is not inside any pane");
        assertThat(reader(tmux()).capture(new AgentProcess(me.pid(), me.startMillis() - 3_600_000), Map.of(), 240, 20_000).reason())
                .contains("has ended");
        assertThat(new PaneReader(tmux(), PROCESSES, null, Duration.ofSeconds(1)).capture(me, Map.of(), 240, 20_000).reason())
                .isEqualTo("tmux is not installed");
        assertThat(PaneReader.trimBottom("a  \nb\t\n\n  \n")).isEqualTo("a\nb");
    }
}
