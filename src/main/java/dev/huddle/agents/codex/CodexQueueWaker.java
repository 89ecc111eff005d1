package dev.huddle.agents.codex;

import dev.huddle.agents.WakeRoute;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.terminal.CommandRunner;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import dev.huddle.terminal.WakeAttempt;
import dev.huddle.terminal.WakeText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Wakes an idle Codex session without keystrokes: {@code codex queue --thread <id> --message <text>}.
 *
 * <p>What the command does (verified on Codex 0.169): it adds the message to {@code $CODEX_HOME/queue_1.sqlite} for
 * the thread and exits 0 when the thread has a rollout in that {@code CODEX_HOME}, whether or not a process has the
 * thread loaded; it exits 1 for an unknown thread or a missing {@code CODEX_HOME}. A process that has the thread
 * loaded (the TUI's app-server daemon, {@code codex exec}) takes the message at its next turn boundary: at once when
 * the thread is idle (a new turn starts, {@code UserPromptSubmit} fires with the text), after the running turn when
 * busy. Otherwise it waits for the next resume. So exit 0 means queued, not woken: {@code fired_unconfirmed}, until
 * the agent's hooks report the turn.
 *
 * <p>Support is detected once per binary (path, size and mtime): {@code codex queue --help} must exit 0 and show
 * {@code --thread} and {@code --message} (a Codex without the subcommand prints its general help, also with exit
 * 0). The binary: the agent process's own executable when it is Codex (its version is the one holding the thread),
 * else {@code codex} on the hub's {@code PATH}, else on the agent's. The thread is the session id the agent's hooks
 * bound (Codex hooks' {@code session_id} is the thread id); {@code CODEX_HOME} is the agent's. The command runs
 * without a shell, and the text is huddle's fixed pointer, never a peer's words.
 */
public final class CodexQueueWaker implements WakeRoute.Command {
    public static final String ROUTE = "codex_queue";
    /** A Codex thread id (a UUID). */
    static final Pattern THREAD_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String ENV = "/usr/bin/env";

    /** Tunables; {@code hubPath} is the hub's {@code PATH} (null: none). */
    public record Options(Duration helpTimeout, Duration queueTimeout, String hubPath) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(3), Duration.ofSeconds(5), System.getenv("PATH"));
        }
    }

    private final CommandRunner runner;
    private final ProcessInspector processes;
    private final Options options;
    /** Whether a binary supports {@code codex queue}, by path + size + mtime (an upgrade in place is asked again). */
    private final Map<String, Boolean> support = new ConcurrentHashMap<>();

    public CodexQueueWaker(CommandRunner runner, ProcessInspector processes, Options options) {
        this.runner = runner;
        this.processes = processes;
        this.options = options;
    }

    public static CodexQueueWaker system() {
        return new CodexQueueWaker(CommandRunner.system(), new ProcessInspector(), Options.defaults());
    }

    @Override
    public String name() {
        return ROUTE;
    }

    /** The queue keeps the pointer until Codex next holds the thread: another would pile up. */
    @Override
    public boolean keepsTheWake() {
        return true;
    }

    /**
     * Queues the wake text for the agent's thread (its session id; {@code CODEX_HOME} and {@code PATH} from its
     * front). {@code fired_unconfirmed} when Codex took it; otherwise {@code skipped_no_route} (no thread, no Codex, no
     * {@code codex queue}) or {@code failed}, with the reason.
     */
    @Override
    public WakeAttempt wake(Recipient target, String rawText) {
        long startedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Map<String, Long> phases = new LinkedHashMap<>();
        String text = WakeText.sanitize(rawText);
        if (text.isEmpty()) return attempt(WakeStatus.FAILED, "the wake text is empty once sanitised", startedAt, t0, phases);
        String thread = target.sessionId();
        if (thread == null || !THREAD_ID.matcher(thread).matches()) {
            return attempt(WakeStatus.SKIPPED_NO_ROUTE, "no Codex thread id is bound for this agent yet (its hooks report it)", startedAt, t0, phases);
        }
        Optional<Path> binary = binary(target);
        if (binary.isEmpty()) return attempt(WakeStatus.SKIPPED_NO_ROUTE, "no codex executable found (agent process, PATH)", startedAt, t0, phases);
        long t = System.nanoTime();
        boolean supported = supports(binary.get());
        phases.put("detect", (System.nanoTime() - t) / 1_000_000);
        if (!supported) return attempt(WakeStatus.SKIPPED_NO_ROUTE, binary.get() + " has no `codex queue`", startedAt, t0, phases);

        List<String> argv = new ArrayList<>(List.of(ENV));
        String home = AgentEnv.CODEX_HOME.in(target.env());
        if (home != null && !home.isBlank()) argv.add("CODEX_HOME=" + home);
        else argv.addAll(List.of("-u", "CODEX_HOME")); // the agent used ~/.codex, whatever the hub inherited
        argv.addAll(List.of(binary.get().toString(), "queue", "--thread=" + thread, "--message=" + text));
        t = System.nanoTime();
        CommandRunner.Result r = runner.run(argv, options.queueTimeout());
        phases.put("queue", (System.nanoTime() - t) / 1_000_000);
        String where = "thread " + thread + (home != null && !home.isBlank() ? " in " + home : "");
        if (r.ok()) {
            return attempt(WakeStatus.FIRED_UNCONFIRMED, "codex queue took the wake for " + where + ": Codex starts a turn with it"
                    + " when the thread is idle in a running Codex, else after the running turn or at the next resume", startedAt, t0, phases);
        }
        String why = r.exit() == CommandRunner.Result.TIMED_OUT ? "did not answer within " + options.queueTimeout().toMillis() + " ms"
                : r.exit() == CommandRunner.Result.NOT_STARTED ? "could not start: " + r.brief()
                : "exit " + r.exit() + ": " + error(r);
        return attempt(WakeStatus.FAILED, "codex queue for " + where + " failed (" + why + ")", startedAt, t0, phases);
    }

    /** The Codex executable to ask: the agent's own, else codex on the hub's PATH, else on the agent's. */
    Optional<Path> binary(Recipient target) {
        if (target.agent() != null && processes.isAlive(target.agent())) {
            Optional<Path> own = ProcessHandle.of(target.agent().pid()).flatMap(h -> h.info().command()).map(Path::of)
                    .filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith("codex") && Files.isExecutable(p));
            if (own.isPresent()) return own;
        }
        for (String path : new String[]{options.hubPath(), AgentEnv.PATH.in(target.env())}) {
            String found = path == null ? null : TerminalLocator.findOnPath("codex", path);
            if (found != null && Path.of(found).isAbsolute()) return Optional.of(Path.of(found));
        }
        return Optional.empty();
    }

    boolean supports(Path binary) {
        String key;
        try {
            key = binary + "\0" + Files.size(binary) + "\0" + Files.getLastModifiedTime(binary).toMillis();
        } catch (IOException e) {
            return false;
        }
        Boolean known = support.get(key);
        if (known != null) return known;
        CommandRunner.Result r = runner.run(List.of(binary.toString(), "queue", "--help"), options.helpTimeout());
        if (r.exit() == CommandRunner.Result.TIMED_OUT || r.exit() == CommandRunner.Result.NOT_STARTED) return false; // ask again next time
        boolean yes = r.ok() && r.stdout().contains("--thread") && r.stdout().contains("--message");
        support.put(key, yes);
        return yes;
    }

    /** Codex prints warnings and a backtrace around its {@code Error: ...} line; the reason keeps that line. */
    private static String error(CommandRunner.Result r) {
        String err = r.stderr() == null ? "" : r.stderr();
        Optional<String> line = err.lines().map(String::strip).filter(l -> l.startsWith("Error:") || l.startsWith("error:")).findFirst();
        String s = line.orElseGet(r::brief);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static WakeAttempt attempt(WakeStatus status, String reason, long startedAt, long t0, Map<String, Long> phases) {
        return new WakeAttempt(status, ROUTE, null, reason, 0, startedAt, (System.nanoTime() - t0) / 1_000_000, phases);
    }
}
