package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.control.ControlRequest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Stops the hub whatever state it is in. A hub that answers is asked to stop; one that does not (its database failed,
 * it hangs) is still the process that holds {@code hub.lock}: found through the kernel's lock table (Linux) or the pid
 * {@code hub.json} names, checked to be a huddle hub, and signalled (TERM, then KILL if it does not go).
 */
final class HubStopper {
    /** How it went: the pid stopped (null: none ran), and whether it had to be signalled. */
    record Stopped(Long pid, boolean signalled) {}

    private static final long ASKED_MS = 10_000;
    private static final long TERM_MS = 10_000;

    private final HubClient hub;
    private final HubPaths paths;

    /** How long a hub has to answer before it counts as not answering (a healthy one answers in milliseconds). */
    private static final long ANSWER_MS = 3_000;

    HubStopper(HubClient hub) {
        this.hub = hub.replyWithin(ANSWER_MS);
        this.paths = hub.connector().paths();
    }

    Stopped stop() {
        Long pid = null;
        boolean asked = false;
        try {
            pid = hub.call(new ControlRequest.Status()).pid();
        } catch (IOException e) {
            // not running, or not answering: the lock says which
        }
        try {
            hub.call(new ControlRequest.Stop());
            asked = true;
        } catch (IOException e) {
            // signalled below when a hub holds the lock
        }
        if (lockFree() && (pid == null || !running(pid))) return new Stopped(asked ? pid : null, false);
        if (pid == null) pid = lockHolder().orElse(null);
        if (pid == null) {
            throw new ExitException(ExitCodes.FAILURE, "a process holds " + paths.hubLock() + " but neither the hub nor "
                    + paths.hubInfo() + " says which", "Find it with: fuser " + paths.hubLock());
        }
        if (asked && awaitGone(pid, ASKED_MS)) return new Stopped(pid, false);
        if (!isHub(pid)) {
            throw new ExitException(ExitCodes.FAILURE, "pid " + pid + " holds " + paths.hubLock() + " but is not a huddle hub;"
                    + " not signalling it", "Check it with: ps -fp " + pid);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // TERM: it closes its database
        resume(pid); // a stopped hub (SIGSTOP, a suspended job) takes the TERM only once it runs again
        if (!awaitGone(pid, TERM_MS)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // KILL: what it acknowledged is committed
            awaitGone(pid, TERM_MS);
        }
        return new Stopped(pid, true);
    }

    private static void resume(long pid) {
        try {
            new ProcessBuilder("kill", "-CONT", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no kill(1): KILL below ends it anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code pid} ends (and the lock is free) within {@code ms}. */
    private boolean awaitGone(long pid, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            if (lockFree() && !running(pid)) return true;
            HubConnector.sleep(20);
        }
        return false;
    }

    /** The process holding hub.lock: the kernel's lock table names it (Linux); else hub.json's pid. */
    Optional<Long> lockHolder() {
        try {
            Object inode = Files.getAttribute(paths.hubLock(), "unix:ino");
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // 1: POSIX  ADVISORY  WRITE 12345 08:02:1835010 0 EOF
                String[] f = line.trim().split("\\s+");
                if (f.length > 5 && f[5].endsWith(":" + inode)) return Optional.of(Long.parseLong(f[4]));
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noProcLocks) {
            // not Linux: hub.json
        }
        try {
            Object pid = MiniJson.parseObject(Files.readString(paths.hubInfo())).get("pid");
            return pid instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A huddle hub: its command line runs huddle's jar with {@code hub run}. */
    private static boolean isHub(long pid) {
        try {
            List<String> args = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
            int hubAt = args.indexOf("hub");
            return hubAt >= 0 && hubAt + 1 < args.size() && args.get(hubAt + 1).equals("run");
        } catch (IOException noProcfs) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).map(c -> c.contains(" hub run")).orElse(false);
        }
    }

    /** Alive and not a zombie (an exited hub whose parent has not reaped it yet counts as gone). */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
            } catch (IOException | RuntimeException noProcfs) {
                return true;
            }
        }
        return false;
    }

    boolean lockFree() {
        if (!Files.exists(paths.hubLock())) return true;
        try (var ch = FileChannel.open(paths.hubLock(), StandardOpenOption.WRITE); var lock = ch.tryLock()) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }
}
