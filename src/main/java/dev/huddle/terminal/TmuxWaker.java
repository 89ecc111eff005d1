package dev.huddle.terminal;

import dev.huddle.core.wake.WakeStatus;
import dev.huddle.protocol.AgentEnv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Wakes an agent in tmux: types into the pane the process tree proves hosts the agent now, only when its input line
 * is empty, with the submit recipe of the agent's client ({@link Composer}), then checks on screen that the text was
 * submitted.
 *
 * <p>Steps: (1) the agent process must be alive with its recorded start time; (2) {@code list-panes -a} and the
 * agent's ancestry must meet in a pane ({@code pane_pid} is the agent or an ancestor): the pane the agent reported
 * ({@code TMUX_PANE}) is never trusted; (3) the agent must own the pane's keyboard ({@link Foreground}: its process
 * group is the foreground group of the pane's tty, so not suspended, backgrounded, detached, or behind a pager, an
 * editor or the shell); (4) a pane in copy mode or with text on its input line ({@link InputLine}) is left alone;
 * (5) the pane and the foreground are proven again right before typing and before each Enter (a killed pane's id can
 * come back on a restarted server, a dead agent's pid can be reused, a program can take the terminal); (6) the recipe:
 * a composer that takes a paste gets {@code load-buffer} + {@code paste-buffer -p -d} (bracketed paste), any other
 * {@code send-keys -l} (one burst); for a composer huddle reads whole ({@link Composer#cursorInComposer()}), until it
 * shows the whole text; then a wait of the composer's {@link Composer#enterGap()} (Codex: 500 ms, since it turns an
 * Enter within 120 ms of a paste burst into a newline; Gemini CLI: 100 ms, one within 30 ms), then {@code send-keys Enter}; (7) {@code capture-pane} until the text left the input line; if it did not, Enter once more; {@code fired} when
 * the screen shows the submission, else {@code fired_unconfirmed}. Every tmux call has a timeout.
 */
public final class TmuxWaker implements TerminalWaker {
    public static final String ROUTE = "tmux";
    /** The longest wait for typed text to show in a composer huddle reads whole ({@link Composer#cursorInComposer()}). */
    static final Duration ECHO_WAIT = Duration.ofSeconds(1);

    /**
     * Tunables. {@code serverArgs} choose the tmux server when the agent's environment names none ({@code TMUX});
     * empty means tmux's default. {@code tmuxBinary} null means "find tmux on PATH".
     */
    public record Options(Duration commandTimeout, Duration verifyWindow, int maxChars, List<String> serverArgs, String tmuxBinary) {
        public Options {
            serverArgs = List.copyOf(serverArgs);
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), Duration.ofMillis(300), WakeText.MAX_CHARS, List.of(), null);
        }

        public Options withServerArgs(List<String> args) {
            return new Options(commandTimeout, verifyWindow, maxChars, args, tmuxBinary);
        }
    }

    /** One pane as {@code list-panes} shows it; {@code tty} is its terminal device ({@code /dev/pts/3}). */
    record Pane(String id, long pid, boolean inMode, String tty) {
    }

    private final CommandRunner runner;
    private final ProcessInspector processes;
    private final Foreground foreground;
    private final Options options;

    public TmuxWaker(CommandRunner runner, ProcessInspector processes, Foreground foreground, Options options) {
        this.runner = runner;
        this.processes = processes;
        this.foreground = foreground;
        this.options = options;
    }

    public TmuxWaker(CommandRunner runner, ProcessInspector processes, Options options) {
        this(runner, processes, Foreground.system(), options);
    }

    public TmuxWaker() {
        this(CommandRunner.system(), new ProcessInspector(), Options.defaults());
    }

    @Override
    public WakeAttempt wake(TerminalTarget target, String text) {
        return new Run(target, text).go();
    }

    /** One wake: holds the clock, the phases and the tmux server arguments. */
    private final class Run {
        private final TerminalTarget target;
        private final String rawText;
        private final long startedAt = System.currentTimeMillis();
        private final long t0 = System.nanoTime();
        private long mark = t0;
        private final Map<String, Long> phases = new LinkedHashMap<>();
        private final List<String> tmux = new ArrayList<>();
        private String paneId;
        private int enters;

        Run(TerminalTarget target, String text) {
            this.target = target;
            this.rawText = text;
        }

        WakeAttempt go() {
            String text = WakeText.sanitize(rawText, options.maxChars());
            if (text.isEmpty()) return done(WakeStatus.FAILED, "the wake text is empty once sanitised");
            String binary = options.tmuxBinary() != null ? options.tmuxBinary() : TerminalLocator.findOnPath("tmux");
            if (binary == null || !Files.isExecutable(Path.of(binary))) {
                return done(WakeStatus.SKIPPED_NO_ROUTE, "tmux is not installed (" + (binary == null ? "not on PATH" : binary + " is not executable") + ")");
            }
            tmux.add(binary);
            tmux.add(TerminalLocator.TMUX_UTF8);
            tmux.addAll(serverArgs());

            // 1 + 2: the agent is alive and a pane's process is its ancestor
            String recorded = target.terminal().isTmux() ? target.terminal().pane() : null;
            if (!processes.isAlive(target.agent())) {
                paneId = recorded;
                return done(recorded != null ? WakeStatus.SKIPPED_WRONG_PANE : WakeStatus.SKIPPED_NO_ROUTE,
                        goneReason() + (recorded != null ? "; pane " + recorded + " no longer hosts it" : ""));
            }
            CommandRunner.Result listed = tmux(List.of("list-panes", "-a", "-F", "#{pane_id}\t#{pane_pid}\t#{pane_in_mode}\t#{pane_tty}"));
            if (listed.exit() == CommandRunner.Result.TIMED_OUT) return done(WakeStatus.FAILED, "tmux list-panes: " + listed.brief());
            if (!listed.ok()) {
                return done(WakeStatus.SKIPPED_NO_ROUTE, "no tmux server to ask (" + serverLabel() + "): " + listed.brief());
            }
            List<Pane> panes = parsePanes(listed.stdout());
            Optional<Pane> proven = prove(panes);
            phase("resolve");
            if (proven.isEmpty()) {
                boolean recordedExists = recorded != null && panes.stream().anyMatch(p -> p.id().equals(recorded));
                paneId = recorded;
                return recordedExists
                        ? done(WakeStatus.SKIPPED_WRONG_PANE, "pane " + recorded + " no longer hosts agent pid " + target.agent().pid()
                        + " (its process is not an ancestor of the agent)")
                        : done(WakeStatus.SKIPPED_NO_ROUTE, "agent pid " + target.agent().pid() + " is not inside any pane of tmux ("
                        + serverLabel() + ")");
            }
            Pane pane = proven.get();
            paneId = pane.id();
            String moved = recorded != null && !recorded.equals(pane.id()) ? " (the registry had " + recorded + ")" : "";

            // 3: the agent, not a pager, an editor, another job or the shell, reads this pane's keyboard
            Optional<String> notForeground = foreground.refusal(target.agent(), pane.tty());
            phase("foreground");
            if (notForeground.isPresent()) return done(WakeStatus.SKIPPED_NOT_FOREGROUND, "pane " + pane.id() + ": " + notForeground.get());

            // 4: nobody is typing or scrolling there
            if (pane.inMode()) return done(WakeStatus.SKIPPED_HUMAN_TYPING, "pane " + pane.id() + " is in copy mode (someone is scrolling)");
            Screen before = screen(pane.id());
            if (before == null) return done(WakeStatus.FAILED, "tmux capture-pane failed on " + pane.id());
            if (before.inMode()) return done(WakeStatus.SKIPPED_HUMAN_TYPING, "pane " + pane.id() + " is in copy mode (someone is scrolling)");
            Optional<InputLine.Draft> draft = InputLine.find(target.composer(), before.text(), before.cursorX(), before.cursorY());
            phase("draft_check");
            if (draft.isEmpty()) {
                return done(WakeStatus.SKIPPED_HUMAN_TYPING, "no empty input line recognised in pane " + pane.id()
                        + " for " + target.composer().client() + ": cannot rule out a draft");
            }
            if (!draft.get().empty()) {
                return done(WakeStatus.SKIPPED_HUMAN_TYPING, "the input line of pane " + pane.id() + " holds a "
                        + draft.get().text().length() + "-character draft");
            }

            // 5 + 6: prove again, type, wait, prove again, Enter
            WakeAttempt refused = recheck(pane, "before typing");
            if (refused != null) return refused;
            CommandRunner.Result typed = type(pane.id(), text);
            phase("type");
            if (!typed.ok()) return done(WakeStatus.FAILED, "tmux could not type into " + pane.id() + ": " + typed.brief());
            if (target.composer().cursorInComposer()) {
                awaitEcho(pane.id(), text);
                phase("echo");
            }
            sleep(target.composer().enterGap());
            phase("gap");
            refused = recheck(pane, "after the text was typed; Enter withheld");
            if (refused != null) return refused;
            CommandRunner.Result enter = enter(pane.id());
            phase("enter");
            if (!enter.ok()) return done(WakeStatus.FAILED, "tmux could not press Enter in " + pane.id() + ": " + enter.brief());

            // 7: verify, retry Enter once
            Verdict v = verify(pane.id(), text);
            phase("verify");
            if (v == Verdict.SUBMITTED) return done(WakeStatus.FIRED, "submitted in pane " + pane.id() + moved);
            if (v == Verdict.UNREADABLE) {
                return done(WakeStatus.FIRED_UNCONFIRMED, "typed into pane " + pane.id() + moved + "; the input line could not be read back");
            }
            if (!stillHosts(pane)) return done(WakeStatus.FIRED_UNCONFIRMED, "text still on the input line and pane " + pane.id()
                    + " stopped hosting the agent; Enter not retried");
            Optional<String> lost = foreground.refusal(target.agent(), pane.tty());
            if (lost.isPresent()) {
                return done(WakeStatus.FIRED_UNCONFIRMED, "text still on the input line of pane " + pane.id() + " and " + lost.get() + "; Enter not retried");
            }
            enter = enter(pane.id());
            phase("enter_retry");
            if (!enter.ok()) return done(WakeStatus.FIRED_UNCONFIRMED, "Enter retry failed in " + pane.id() + ": " + enter.brief());
            v = verify(pane.id(), text);
            phase("verify_retry");
            return v == Verdict.SUBMITTED
                    ? done(WakeStatus.FIRED, "submitted in pane " + pane.id() + moved + " after a second Enter")
                    : done(WakeStatus.FIRED_UNCONFIRMED, "typed into pane " + pane.id() + moved + " but the text is still on the input line after two Enters");
        }

        private List<String> serverArgs() {
            String env = target.env(AgentEnv.TMUX);
            if (env != null && !env.isBlank()) {
                String socket = env.split(",", 2)[0];
                if (socket.startsWith("/") && Files.exists(Path.of(socket))) return List.of("-S", socket);
            }
            return options.serverArgs();
        }

        private String serverLabel() {
            List<String> args = tmux.subList(1, tmux.size());
            return args.isEmpty() ? "default server" : String.join(" ", args);
        }

        private String goneReason() {
            long pid = target.agent().pid();
            return processes.describe(pid).isPresent()
                    ? "pid " + pid + " now belongs to another process (start time differs): the agent is gone"
                    : "agent process " + pid + " is gone";
        }

        private Optional<Pane> prove(List<Pane> panes) {
            for (long pid : processes.ancestry(target.agent().pid(), 64)) {
                for (Pane p : panes) if (p.pid() == pid) return Optional.of(p);
            }
            return Optional.empty();
        }

        /** Null while the pane still hosts the agent and the agent owns its keyboard; else the refusal, saying {@code when}. */
        private WakeAttempt recheck(Pane pane, String when) {
            if (!stillHosts(pane)) return done(WakeStatus.SKIPPED_WRONG_PANE, "pane " + pane.id() + " stopped hosting the agent " + when);
            Optional<String> fg = foreground.refusal(target.agent(), pane.tty());
            return fg.map(why -> done(WakeStatus.SKIPPED_NOT_FOREGROUND, "pane " + pane.id() + ": " + why + " (" + when + ")")).orElse(null);
        }

        /** The pane still has the same process, that process is still an ancestor, the agent is still itself. */
        private boolean stillHosts(Pane pane) {
            CommandRunner.Result r = tmux(List.of("display-message", "-p", "-t", pane.id(), "#{pane_id}\t#{pane_pid}"));
            if (!r.ok() || !r.stdout().strip().equals(pane.id() + "\t" + pane.pid())) return false;
            return processes.isAlive(target.agent()) && processes.ancestry(target.agent().pid(), 64).contains(pane.pid());
        }

        private CommandRunner.Result type(String pane, String text) {
            if (target.composer().paste()) {
                String buffer = "huddle-wake-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
                CommandRunner.Result loaded = runner.run(with(List.of("load-buffer", "-b", buffer, "-")), text, options.commandTimeout());
                if (!loaded.ok()) return loaded;
                return tmux(List.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", pane));
            }
            return tmux(List.of("send-keys", "-t", pane, "-l", "--", WakeText.tmuxArgument(text)));
        }

        private CommandRunner.Result enter(String pane) {
            enters++;
            return tmux(List.of("send-keys", "-t", pane, "Enter"));
        }

        /**
         * Until the composer shows the whole text (the TUI has taken every key), at most {@link #ECHO_WAIT}: the gap
         * before Enter counts from there. Gemini CLI takes an Enter within 30 ms of the last key it handled for a
         * newline, and a loaded machine can handle a burst of keys well after tmux sent it.
         */
        private void awaitEcho(String pane, String text) {
            long deadline = System.nanoTime() + ECHO_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Screen s = screen(pane);
                Optional<InputLine.Draft> d = s == null ? Optional.empty() : InputLine.find(target.composer(), s.text(), s.cursorX(), s.cursorY());
                if (d.isPresent() && InputLine.showsAll(d.get(), text)) return;
                sleep(Duration.ofMillis(10));
            }
        }

        private Verdict verify(String pane, String text) {
            long deadline = System.nanoTime() + options.verifyWindow().toNanos();
            Verdict last = Verdict.UNREADABLE;
            while (true) {
                Screen s = screen(pane);
                if (s != null) {
                    Optional<InputLine.Draft> d = InputLine.find(target.composer(), s.text(), s.cursorX(), s.cursorY());
                    last = d.isEmpty() ? Verdict.UNREADABLE : InputLine.stillHolds(d.get(), text) ? Verdict.PENDING : Verdict.SUBMITTED;
                    if (last == Verdict.SUBMITTED) return last;
                }
                if (System.nanoTime() >= deadline) return last;
                sleep(Duration.ofMillis(25));
            }
        }

        private Screen screen(String pane) {
            CommandRunner.Result d = tmux(List.of("display-message", "-p", "-t", pane, "#{cursor_x}\t#{cursor_y}\t#{pane_in_mode}"));
            CommandRunner.Result c = tmux(List.of("capture-pane", "-p", "-e", "-t", pane));
            if (!d.ok() || !c.ok()) return null;
            String[] f = d.stdout().strip().split("\t");
            if (f.length < 3) return null;
            try {
                return new Screen(c.stdout(), Integer.parseInt(f[0]), Integer.parseInt(f[1]), "1".equals(f[2]));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private CommandRunner.Result tmux(List<String> args) {
            return runner.run(with(args), options.commandTimeout());
        }

        private List<String> with(List<String> args) {
            List<String> argv = new ArrayList<>(tmux);
            argv.addAll(args);
            return argv;
        }

        private void phase(String name) {
            long now = System.nanoTime();
            phases.put(name, TimeUnit.NANOSECONDS.toMillis(now - mark));
            mark = now;
        }

        private WakeAttempt done(WakeStatus status, String reason) {
            long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            return new WakeAttempt(status, ROUTE, paneId, reason, enters, startedAt, total, phases);
        }
    }

    private enum Verdict { SUBMITTED, PENDING, UNREADABLE }

    private record Screen(String text, int cursorX, int cursorY, boolean inMode) {
    }

    static List<Pane> parsePanes(String out) {
        List<Pane> panes = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\t");
            if (f.length < 3 || !f[0].matches("%\\d+")) continue;
            try {
                panes.add(new Pane(f[0], Long.parseLong(f[1]), "1".equals(f[2]), f.length > 3 && !f[3].isBlank() ? f[3] : null));
            } catch (NumberFormatException ignored) {
                // not a pane line
            }
        }
        return panes;
    }

    static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
