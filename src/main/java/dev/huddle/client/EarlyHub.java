package dev.huddle.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The hub the launcher started beside this front on a cold start ({@code ./huddle mcp} with no hub socket: its
 * {@code early_hub}), named by {@code HUDDLE_HUB_PID}. A front that finds no hub waits for that one, under the start
 * lock, instead of starting a second JVM that would only lose the hub lock to it.
 */
final class EarlyHub {
    static final String ENV = "HUDDLE_HUB_PID";
    /** Only a front's first start looks at it: by a later reconnect the pid may belong to anything. */
    private static final AtomicBoolean USED = new AtomicBoolean();

    private EarlyHub() {}

    /**
     * Waits while the launcher's hub is alive and not yet accepting. True when a hub accepts; false when there is no
     * such hub (or it exited: the caller then starts one, and reports why that one fails, if it does).
     */
    static boolean await(Map<String, String> env, BooleanSupplier accepts, long deadlineMillis) {
        if (USED.getAndSet(true)) return false;
        Optional<ProcessHandle> hub = hub(env.get(ENV));
        if (hub.isEmpty()) return false;
        while (System.currentTimeMillis() < deadlineMillis) {
            if (accepts.getAsBoolean()) return true;
            if (!hub.get().isAlive()) return accepts.getAsBoolean();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return accepts.getAsBoolean();
            }
        }
        return accepts.getAsBoolean();
    }

    /** The live process of that pid, when it is a hub ({@code ... hub run}); a reused pid is not waited for. */
    static Optional<ProcessHandle> hub(String pid) {
        if (pid == null || pid.isBlank()) return Optional.empty();
        long n;
        try {
            n = Long.parseLong(pid.strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(n).filter(ProcessHandle::isAlive).filter(p -> isHub(p.info().arguments().map(List::of)));
    }

    /** A hub's command line ends in {@code hub run [--detached]}; unknown arguments (a zombie) are no hub. */
    static boolean isHub(Optional<List<String>> arguments) {
        if (arguments.isEmpty()) return false;
        List<String> a = arguments.get();
        int i = a.indexOf("hub");
        return i >= 0 && i + 1 < a.size() && a.get(i + 1).equals("run");
    }
}
