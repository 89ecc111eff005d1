package dev.huddle.it.support;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * An interactive Codex (its TUI) in a private tmux server of its {@link Codex} environment: started with the
 * environment's variables (the server inherits them, and its pane the server's), watched through
 * {@code capture-pane}, answered with {@code send-keys} where a human would answer (the hook review dialog). Its
 * threads run in the app-server daemon it starts for its {@code CODEX_HOME}.
 */
public final class CodexTui implements AutoCloseable {
    private final Codex codex;
    private final Path socket;
    private final String name;

    private CodexTui(Codex codex, Path socket, String name) {
        this.codex = codex;
        this.socket = socket;
        this.name = name;
    }

    static CodexTui start(Codex codex, Path cwd, String name, List<String> args) {
        Path socket = codex.home().resolve("tmux-" + name + ".sock");
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                "-c", cwd.toString(), "--", Codex.binary().toString()));
        cmd.addAll(args);
        TestHome.Result r = TestHome.run(cwd, codex.env(), Duration.ofSeconds(20), cmd);
        if (r.exit() != 0) throw new AssertionError("tmux new-session failed: " + r);
        return new CodexTui(codex, socket, name);
    }

    /** What the pane shows now (plain text). */
    public String screen() {
        return tmux("capture-pane", "-p", "-t", name).stdout();
    }

    /** Waits until the pane shows {@code text}. */
    public void awaitScreen(String text, Duration within, String what) {
        try {
            await(what).atMost(within).pollInterval(Duration.ofMillis(150)).until(() -> screen().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": the pane never showed \"" + text + "\"; it shows:\n" + screen() + codex.describe()
                    + codex.hub().logTail(), e);
        }
    }

    /** Keys as {@code tmux send-keys} names them ({@code Enter}, {@code 2}, ...). */
    public void keys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
        args.addAll(List.of(keys));
        TestHome.Result r = tmux(args.toArray(String[]::new));
        if (r.exit() != 0) throw new AssertionError("tmux send-keys failed: " + r);
    }

    /**
     * Answers Codex's start-up review of new hooks ("Hooks need review") with "2. Trust all and continue", as a user
     * does once: Codex writes each hook's trusted hash into config.toml.
     */
    public void trustAllHooks(Duration within) {
        awaitScreen("Hooks need review", within, "Codex asks to review huddle's hooks");
        // The dialog is drawn a moment before it reads keys (seen on a loaded machine): press "2" again until it shows
        // the choice selected ("2" only selects; Enter confirms).
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        keys("2");
        while (!screen().contains("› 2. Trust all")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the second choice selected: the pane never showed \"› 2. Trust all\"; it shows:\n" + screen());
            }
            try {
                awaitScreen("› 2. Trust all", Duration.ofSeconds(2), "the second choice selected");
            } catch (AssertionError notYet) {
                keys("2");
            }
        }
        keys("Enter");
    }

    /** The pid of the pane's process ({@code codex}, as started). */
    public long panePid() {
        return Long.parseLong(tmux("display-message", "-p", "-t", name, "#{pane_pid}").stdout().strip());
    }

    private TestHome.Result tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        return TestHome.run(Path.of("/"), codex.env(), Duration.ofSeconds(10), cmd);
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (AssertionError | UncheckedIOException ignored) {
            // gone already
        }
    }
}
