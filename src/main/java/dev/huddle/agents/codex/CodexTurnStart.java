package dev.huddle.agents.codex;

import dev.huddle.agents.WakeRoute;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.protocol.Version;
import dev.huddle.terminal.WakeAttempt;
import dev.huddle.terminal.WakeText;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Wakes an idle Codex TUI's thread without keystrokes through the app-server's own protocol: {@code turn/start} on
 * the control socket of the daemon that runs the threads of every TUI of a {@code CODEX_HOME}
 * ({@code $CODEX_HOME/app-server-control/app-server-control.sock}).
 *
 * <p>What Codex 0.169 does (verified with the real TUI in tmux): {@code turn/start} on a thread the daemon has loaded
 * starts a turn at once, which the TUI shows as if its user had typed the text; on a thread with a turn running, the
 * text becomes that turn's next input (as {@code turn/steer} would); on a thread the daemon has not loaded (a
 * {@code codex exec} holds its own, or no TUI opened it) it answers "thread not found" and nothing happens, so the
 * next route ({@code codex queue}) takes it. The answer names the started turn, so a fired wake is confirmed by the
 * client, not guessed. The socket must belong to the hub's user; the text is huddle's fixed pointer.
 */
public final class CodexTurnStart implements WakeRoute.Command {
    public static final String ROUTE = "codex_turn_start";
    static final Path CONTROL_SOCKET = Path.of("app-server-control", "app-server-control.sock");

    private final Duration timeout;
    private final Function<Map<String, String>, Path> codexHome;

    /** @param codexHome the agent's {@code CODEX_HOME} from the environment its front reported */
    CodexTurnStart(Duration timeout, Function<Map<String, String>, Path> codexHome) {
        this.timeout = timeout;
        this.codexHome = codexHome;
    }

    @Override
    public String name() {
        return ROUTE;
    }

    /** The turn started (or the running one took the text): nothing waits in Codex to pile up. */
    @Override
    public boolean keepsTheWake() {
        return false;
    }

    @Override
    public WakeAttempt wake(Recipient target, String rawText) {
        long startedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String text = WakeText.sanitize(rawText);
        if (text.isEmpty()) return attempt(WakeStatus.FAILED, "the wake text is empty once sanitised", startedAt, t0);
        String thread = target.sessionId();
        if (thread == null || !CodexQueueWaker.THREAD_ID.matcher(thread).matches()) {
            return attempt(WakeStatus.SKIPPED_NO_ROUTE, "no Codex thread id is bound for this agent yet (its hooks report it)", startedAt, t0);
        }
        Path home = codexHome.apply(target.env());
        Path socket = home.resolve(CONTROL_SOCKET);
        if (!Files.exists(socket)) {
            return attempt(WakeStatus.SKIPPED_NO_ROUTE, "no Codex app-server runs for " + home + " (a Codex TUI starts one)", startedAt, t0);
        }
        try {
            String owner = Files.getOwner(socket).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                return attempt(WakeStatus.SKIPPED_NO_ROUTE, socket + " belongs to " + owner + ", not to this user", startedAt, t0);
            }
        } catch (IOException e) {
            return attempt(WakeStatus.SKIPPED_NO_ROUTE, "cannot look at " + socket + ": " + e.getMessage(), startedAt, t0);
        }
        AppServerSocket s;
        try {
            s = AppServerSocket.connect(socket);
        } catch (IOException e) {
            return attempt(WakeStatus.SKIPPED_NO_ROUTE, "no Codex app-server answers on " + socket + " (" + e.getMessage() + ")", startedAt, t0);
        }
        try (s) {
            CompletableFuture<WakeAttempt> run = CompletableFuture.supplyAsync(() -> start(s, thread, text, home, startedAt, t0),
                    r -> Thread.startVirtualThread(r));
            return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return attempt(WakeStatus.FAILED, "Codex's app-server at " + socket + " did not answer within " + timeout.toMillis() + " ms", startedAt, t0);
        } catch (ExecutionException e) {
            return attempt(WakeStatus.FAILED, "turn/start failed: " + e.getCause(), startedAt, t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return attempt(WakeStatus.FAILED, "interrupted", startedAt, t0);
        } catch (IOException e) {
            return attempt(WakeStatus.FAILED, "closing the app-server connection failed: " + e.getMessage(), startedAt, t0);
        }
    }

    /** The exchange, bounded by the caller, which closes the socket (and so ends a read that hangs). */
    private static WakeAttempt start(AppServerSocket s, String thread, String text, Path home, long startedAt, long t0) {
        try {
            s.upgrade();
            s.call("initialize", Map.of("clientInfo", Map.of("name", "huddle", "version", Version.CURRENT.version())));
            s.notify("initialized");
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("threadId", thread);
            params.put("input", List.of(Map.of("type", "text", "text", text)));
            JsonNode turn = s.call("turn/start", params).path("turn");
            return attempt(WakeStatus.FIRED, "Codex's app-server for " + home + " took the wake as turn " + turn.path("id").asString("?")
                    + " (" + turn.path("status").asString("?") + ") of thread " + thread + ": the TUI shows it", startedAt, t0);
        } catch (AppServerSocket.RpcError e) {
            if (e.getMessage().startsWith("thread not found")) {
                return attempt(WakeStatus.SKIPPED_NO_ROUTE, "thread " + thread + " is not loaded in the app-server of " + home
                        + " (no TUI has it open; a codex exec holds its own)", startedAt, t0);
            }
            return attempt(WakeStatus.FAILED, "turn/start for thread " + thread + " refused (" + e.code + "): " + e.getMessage(), startedAt, t0);
        } catch (IOException | RuntimeException e) {
            return attempt(WakeStatus.FAILED, "turn/start for thread " + thread + " failed: " + e.getMessage(), startedAt, t0);
        }
    }

    private static WakeAttempt attempt(WakeStatus status, String reason, long startedAt, long t0) {
        return new WakeAttempt(status, ROUTE, null, reason, 0, startedAt, (System.nanoTime() - t0) / 1_000_000, Map.of());
    }
}
