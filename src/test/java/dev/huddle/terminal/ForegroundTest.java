package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /proc/<pid>/stat parsing and the foreground rule over a scripted process table. */
class ForegroundTest {
    private static final long PTS_7 = (136 << 8) | 7;
    private static final long PTS_300 = (136 << 8) | (300 & 0xff) | ((300L & ~0xffL) << 12);
    private static final AgentProcess AGENT = new AgentProcess(500, 1);

    // ---- parsing ----

    @Test
    void parsesTheJobControlFields() {
        ProcStat s = ProcStat.parse("31482 (node) S 31481 31482 31482 34817 31482 4194304 2936 0 0 0 6 0 0 0 20 0 11 0").orElseThrow();
        assertThat(s).isEqualTo(new ProcStat(31482, "node", 'S', 31481, 31482, 31482, 34817, 31482));
        assertThat(ProcStat.ttyName(s.ttyDev())).isEqualTo("/dev/pts/1");
        assertThat(s.stopped()).isFalse();
        assertThat(s.label()).isEqualTo("node (pid 31482)");
    }

    @Test
    void aCommWithSpacesAndParenthesesEndsAtTheLastParenthesis() {
        ProcStat s = ProcStat.parse("77 (a) S 1 (b) c) T 5 77 77 0 -1 4194560 0").orElseThrow();
        assertThat(s.comm()).isEqualTo("a) S 1 (b) c");
        assertThat(s.state()).isEqualTo('T');
        assertThat(s.stopped()).isTrue();
        assertThat(s.ppid()).isEqualTo(5);
        assertThat(s.pgrp()).isEqualTo(77);
        assertThat(s.hasTerminal()).isFalse();
        assertThat(s.tpgid()).isEqualTo(-1);

        assertThat(ProcStat.parse("9 (tmux: server) S 1 9 9 0 -1 0").orElseThrow().comm()).isEqualTo("tmux: server");
        assertThat(ProcStat.parse("9 (()) t 1 9 9 34823 12 0").orElseThrow())
                .isEqualTo(new ProcStat(9, "()", 't', 1, 9, 9, 34823, 12));
        assertThat(ProcStat.parse("9 () R 1 9 9 0 -1").orElseThrow().comm()).isEmpty();
    }

    @Test
    void malformedLinesAreNotStats() {
        for (String bad : new String[]{null, "", "garbage", "12 (x", "12 x) S 1 2 3 4 5", "(x) S 1 2 3 4 5",
                "12 (x) S 1 2 3", "12 (x) SS 1 2 3 4 5", "12 (x) S one 2 3 4 5", "ab (x) S 1 2 3 4 5", "12 (x)"}) {
            assertThat(ProcStat.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void ttyNumbersNameTheirDevice() {
        assertThat(ProcStat.ttyName(PTS_7)).isEqualTo("/dev/pts/7");
        assertThat(ProcStat.ttyName(PTS_300)).isEqualTo("/dev/pts/300");
        assertThat(ProcStat.ttyName((4 << 8) | 1)).isEqualTo("terminal 4:1");
    }

    @Test
    void theRealProcTableReadsThisProcessAndItsGroup() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc");
        Foreground.ProcTable t = new Foreground.ProcTable(Path.of("/proc"));
        ProcStat me = t.stat(ProcessHandle.current().pid()).orElseThrow();
        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.ppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(t.memberOf(me.pgrp()).orElseThrow().pgrp()).isEqualTo(me.pgrp());
        assertThat(t.stat(4_194_305)).isEmpty();
        assertThat(t.deviceOf("/dev/null")).contains((1L << 8) | 3);
        assertThat(t.deviceOf("/nonexistent/tty")).isEmpty();
        assertThat(t.stdin(ProcessHandle.current().pid())).isPresent();
        assertThat(t.stdin(4_194_305)).isEmpty();
    }

    @Test
    void psLinesCarryTheSameFields() {
        ProcStat s = Foreground.PsTable.parseLine("  500     1   500   500 Ss+  ?        my agent (x)").orElseThrow();
        assertThat(s).isEqualTo(new ProcStat(500, "my agent (x)", 'S', 1, 500, 0, 0, 500));
        assertThat(Foreground.PsTable.parseLine("500 1 500")).isEmpty();
        assertThat(Foreground.PsTable.parseLine("x 1 500 500 S ? a")).isEmpty();
    }

    // ---- the rule ----

    /** A process table from a map; the pane tty /dev/pts/7 is device PTS_7; every process reads its own terminal. */
    private static Foreground table(ProcStat... stats) {
        return table(null, stats);
    }

    /** {@code stdin}: what a process reads (empty: unseen); null, or null for a pid: it reads its own terminal. */
    private static Foreground table(java.util.function.LongFunction<Optional<Foreground.Stdin>> stdin, ProcStat... stats) {
        Map<Long, ProcStat> byPid = new HashMap<>();
        for (ProcStat s : stats) byPid.put(s.pid(), s);
        return new Foreground.Check(new Foreground.ProcessTable() {
            @Override
            public Optional<Foreground.Stdin> stdin(long pid) {
                Optional<Foreground.Stdin> given = stdin == null ? null : stdin.apply(pid);
                return given != null ? given
                        : Optional.ofNullable(byPid.get(pid)).map(s -> new Foreground.Stdin(s.ttyDev(), ProcStat.ttyName(s.ttyDev())));
            }

            @Override
            public Optional<ProcStat> stat(long pid) {
                return Optional.ofNullable(byPid.get(pid));
            }

            @Override
            public Optional<ProcStat> memberOf(long pgrp) {
                return byPid.values().stream().filter(s -> s.pgrp() == pgrp).sorted((a, b) -> Long.compare(a.pid(), b.pid())).findFirst();
            }

            @Override
            public Optional<Long> deviceOf(String ttyPath) {
                return ttyPath.equals("/dev/pts/7") ? Optional.of(PTS_7) : ttyPath.equals("/dev/pts/8") ? Optional.of(PTS_7 + 1) : Optional.empty();
            }
        });
    }

    @Test
    void anAgentLeadingTheForegroundGroupOfThePaneTtyOwnsTheKeyboard() {
        Foreground f = table(new ProcStat(500, "claude", 'S', 400, 500, 400, PTS_7, 500));
        assertThat(f.refusal(AGENT, "/dev/pts/7")).isEmpty();
        assertThat(f.refusal(AGENT, null)).as("its own terminal").isEmpty();
        // a member, not the leader, of the foreground group (the npm wrapper leads Codex's group): still the agent's job
        assertThat(table(new ProcStat(500, "codex", 'S', 499, 499, 400, PTS_7, 499)).refusal(AGENT, "/dev/pts/7")).isEmpty();
    }

    @Test
    void aForegroundChildOrTheShellNamesTheProcessInFront() {
        Foreground less = table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, 612),
                new ProcStat(612, "less", 'S', 500, 612, 400, PTS_7, 612));
        assertThat(less.refusal(AGENT, "/dev/pts/7")).contains(
                "less (pid 612) has the foreground of /dev/pts/7, not agent codex (pid 500)"
                        + " (its job is in the background or suspended, or a child program took the terminal)");

        Foreground leaderGone = table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, 700),
                new ProcStat(702, "vim", 'S', 500, 700, 400, PTS_7, 700));
        assertThat(leaderGone.refusal(AGENT, "/dev/pts/7").orElseThrow()).startsWith("vim (pid 702) has the foreground");

        Foreground nobody = table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, 800));
        assertThat(nobody.refusal(AGENT, null).orElseThrow()).startsWith("process group 800 has the foreground of /dev/pts/7");
    }

    @Test
    void suspendedDetachedOrElsewhereIsRefused() {
        assertThat(table(new ProcStat(500, "claude", 'T', 400, 500, 400, PTS_7, 400)).refusal(AGENT, "/dev/pts/7").orElseThrow())
                .isEqualTo("agent claude (pid 500) is stopped (suspended with ^Z?): it reads no keys");
        assertThat(table(new ProcStat(500, "codex", 'S', 1, 500, 500, 0, -1)).refusal(AGENT, "/dev/pts/7").orElseThrow())
                .startsWith("agent codex (pid 500) has no controlling terminal");
        assertThat(table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, 500)).refusal(AGENT, "/dev/pts/8").orElseThrow())
                .isEqualTo("agent codex (pid 500) is attached to /dev/pts/7, not to the pane's terminal /dev/pts/8");
        assertThat(table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, 500)).refusal(AGENT, "/dev/pts/99").orElseThrow())
                .isEqualTo("cannot read the pane's terminal /dev/pts/99");
        assertThat(table(new ProcStat(500, "codex", 'S', 400, 500, 400, PTS_7, -1)).refusal(AGENT, null).orElseThrow())
                .isEqualTo("/dev/pts/7 has no foreground process group");
        assertThat(table().refusal(AGENT, null).orElseThrow()).contains("cannot read the state of agent process 500");
    }

    @Test
    void aProcessOfTheForegroundJobThatDoesNotReadTheTerminalIsRefused() {
        // its job has the terminal, its input is a pipe, and its parent is in another job (the shell)
        ProcStat shell = new ProcStat(300, "bash", 'S', 1, 300, 300, PTS_7, 400);
        ProcStat piped = new ProcStat(500, "sleep", 'S', 300, 400, 300, PTS_7, 400);
        Foreground.Stdin pipe = new Foreground.Stdin(0, "pipe:[81237]");
        assertThat(table(pid -> pid == 500 ? Optional.of(pipe) : null, shell, piped).refusal(AGENT, "/dev/pts/7").orElseThrow())
                .isEqualTo("agent sleep (pid 500) does not read /dev/pts/7 (its standard input is pipe:[81237]), and no parent in its job does");
        assertThat(table(pid -> Optional.of(new Foreground.Stdin((1 << 8) | 3, "/dev/null")), piped).refusal(AGENT, null).orElseThrow())
                .contains("its standard input is /dev/null");
        assertThat(table(pid -> Optional.empty(), piped).refusal(AGENT, null).orElseThrow())
                .isEqualTo("cannot see what sleep (pid 500) reads (its standard input)");
        assertThat(new Foreground.PsTable(CommandRunner.system()).seesStdin()).as("ps cannot tell; the rest of the rule still holds").isFalse();
    }

    @Test
    void aWrapperBetweenTheClientAndTheServerIsFine() {
        // claude (reads the terminal, leads the foreground job) → sh -c 'huddle mcp' (reads claude's pipe): the agent is the sh
        ProcStat claude = new ProcStat(400, "claude", 'S', 300, 400, 300, PTS_7, 400);
        ProcStat wrapper = new ProcStat(500, "sh", 'S', 400, 400, 300, PTS_7, 400);
        Foreground.Stdin pipe = new Foreground.Stdin(0, "pipe:[1]");
        assertThat(table(pid -> pid == 500 ? Optional.of(pipe) : null, claude, wrapper).refusal(AGENT, "/dev/pts/7")).isEmpty();
        // the same wrapper under a parent that reads a pipe too: nobody in the job reads the terminal
        assertThat(table(pid -> Optional.of(pipe), claude, wrapper).refusal(AGENT, "/dev/pts/7").orElseThrow())
                .startsWith("agent sh (pid 500) does not read /dev/pts/7");
    }
}
