package dev.huddle.hub.claims;

import dev.huddle.hub.messaging.Notices;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.claims.GitPorcelain;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.claims.ShellChanges;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Files changed by agents' shell commands ({@code sed -i}, code generators, formatters, {@code git checkout}): a
 * shell tool call's start is noted at its before-tool hook, and after it ends ({@code PostToolUse}, {@code AfterTool})
 * the working tree is looked at with {@code git status} (bounded in time, in the background: the hook never waits
 * for it) and compared with the previous look in that project ({@link ShellChanges}). A changed file another agent
 * holds (an exclusive claim, or being edited within the window) gets a notice to both agents, which the project's
 * history shows the human too; the writer's other changes are recorded as its edits (implicit claims). Fails open:
 * no git, a timeout or an error means nothing is reported.
 */
public final class ShellWrites {
    private static final Logger LOG = Logger.getLogger(ShellWrites.class.getName());
    static final Duration GIT_TIMEOUT = Duration.ofMillis(1500);
    private static final int MAX_GIT_OUTPUT = 8 << 20;
    /** mtime and the hub's clock are the kernel's same clock; a little slack for coarse file-system timestamps. */
    private static final Duration MTIME_SLACK = Duration.ofMillis(20);

    private final Claims claims;
    private final Notices notices;
    private final Clock clock;
    private final Map<String, Instant> started = new ConcurrentHashMap<>();
    /** The dirty files of each project at the last look (only touched on the scan thread). */
    private final Map<String, Map<String, String>> snapshots = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor scans = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
            Thread.ofPlatform().name("shell-writes").daemon(true).factory(),
            (r, ex) -> LOG.warning("shell-write scans are backed up; one was skipped"));

    public ShellWrites(Claims claims, Notices notices, Clock clock) {
        this.claims = claims;
        this.notices = notices;
        this.clock = clock;
    }

    /** A shell command of {@code me} is about to run. */
    public void started(Agent me) {
        started.put(me.agentId(), clock.instant());
    }

    /** It ended; {@code durationMs} is the client's own figure when it gives one (else -1). */
    public void finished(Agent me, long durationMs) {
        Instant end = clock.instant();
        Instant start = started.remove(me.agentId());
        if (start == null && durationMs >= 0) start = end.minusMillis(durationMs);
        Instant from = start;
        if (me.projectRoot() == null) return;
        scans.execute(() -> {
            try {
                scan(me, from);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shell-write scan for " + me.handle() + " failed", e);
            }
        });
    }

    /** Waits until the scans queued so far are done (tests, the demo). */
    void drain(Duration timeout) {
        var f = new java.util.concurrent.CompletableFuture<Void>();
        scans.execute(() -> f.complete(null));
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // best effort
        }
    }

    public void close() {
        scans.shutdownNow();
    }

    private void scan(Agent me, Instant start) {
        String root = claims.localRoot(me); // the clone on this machine: its git status names repository-relative files
        Map<String, String> after = gitStatus(Path.of(root));
        if (after == null) return;
        Map<String, String> before = snapshots.put(root, after);
        if (start == null) return; // nothing says when the command began: this look is the next one's baseline
        Path rootPath = Path.of(root);
        List<String> changed = ShellChanges.changed(before, after, start.minus(MTIME_SLACK), rel -> mtime(rootPath.resolve(rel)));
        if (changed.isEmpty()) return;
        if (changed.size() > EditTargets.MAX_FILES_PER_CALL) changed = changed.subList(0, EditTargets.MAX_FILES_PER_CALL);
        Claims.ShellVerdict verdict = claims.shellConflicts(me, changed, start);
        Map<String, List<PathClaim>> conflicts = verdict.conflicts();
        List<EditTarget> mine = new ArrayList<>();
        for (String rel : changed) {
            if (!conflicts.containsKey(rel) && !verdict.othersEdits().contains(rel)) mine.add(new EditTarget(rel, null));
        }
        claims.recordEdits(me, mine, "changed by a shell command");
        if (!conflicts.isEmpty()) notifyConflicts(me, conflicts);
    }

    /** One notice to the writer listing every file, one to each holder listing theirs. */
    private void notifyConflicts(Agent me, Map<String, List<PathClaim>> conflicts) {
        Instant now = clock.instant();
        String writer = me.name() != null ? me.name() : me.bound() ? me.sessionId() : me.handle();
        String writerFull = writer + (me.name() != null && me.bound() ? " (session " + me.sessionId() + ")" : "");
        Map<String, List<String>> filesByHolder = new LinkedHashMap<>();
        Map<String, PathClaim> oneClaim = new LinkedHashMap<>();
        StringBuilder toWriter = new StringBuilder("huddle: your shell command changed ")
                .append(conflicts.size() == 1 ? "a file" : conflicts.size() + " files").append(" another agent holds. ");
        Set<String> holderNames = new LinkedHashSet<>();
        for (var e : conflicts.entrySet()) {
            toWriter.append(e.getKey()).append(": ");
            for (PathClaim c : e.getValue()) {
                toWriter.append(claims.texts().holderText(c, now)).append(' ');
                holderNames.add(claims.texts().holderLabel(c).who());
                filesByHolder.computeIfAbsent(c.holderId(), k -> new ArrayList<>()).add(e.getKey());
                oneClaim.putIfAbsent(c.holderId() + "\0" + e.getKey(), c);
            }
        }
        toWriter.append("Tell them now (send_message or ask_peer, target: ").append(String.join(", ", holderNames))
                .append(") and agree who restores or keeps the change; leave their files alone until they release them.");
        notices.notice(me.projectRoot(), List.of(me), toWriter.toString());
        for (var e : filesByHolder.entrySet()) {
            Agent holder = messagingAgent(e.getKey());
            if (holder == null) continue;
            StringBuilder b = new StringBuilder("huddle: ").append(writerFull).append(" changed ")
                    .append(String.join(", ", e.getValue())).append(" with a shell command at ").append(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append(", while you hold ").append(e.getValue().size() == 1 ? "it" : "them").append(" (");
            List<String> how = new ArrayList<>();
            for (String f : e.getValue()) {
                PathClaim c = oneClaim.get(e.getKey() + "\0" + f);
                how.add(c.implicit() ? f + ": you were editing it" : f + ": your claim " + c.pattern());
            }
            b.append(String.join("; ", how)).append("). Check the file before you go on; ask them with ask_peer (target: ")
                    .append(writer).append(") if the change is unexpected.");
            notices.notice(me.projectRoot(), List.of(holder), b.toString());
        }
        LOG.info("shell command of " + me.handle() + " changed held file(s) " + conflicts.keySet() + "; notified it and the holder(s)");
    }

    private Agent messagingAgent(String id) {
        return claims.texts().agent(id);
    }

    private static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code git status} of the working tree at {@code root}, path → status; null when git is missing, slow or fails. */
    static Map<String, String> gitStatus(Path root) {
        ProcessBuilder pb = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain=v1", "-z", "--no-renames",
                "--untracked-files=all", "--ignore-submodules=all").redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_OPTIONAL_LOCKS", "0"); // never take the index lock an agent's own git may need
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (out.size() < MAX_GIT_OUTPUT) out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // killed on timeout
            }
        });
        try {
            if (!p.waitFor(GIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.fine("git status in " + root + " took over " + GIT_TIMEOUT.toMillis() + " ms; skipped");
                return null;
            }
            reader.join(GIT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
        if (p.exitValue() != 0) return null;
        return GitPorcelain.parse(out.toString(StandardCharsets.UTF_8));
    }
}
