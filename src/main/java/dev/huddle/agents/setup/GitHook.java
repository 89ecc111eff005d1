package dev.huddle.agents.setup;

import dev.huddle.agents.HookCommands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The git pre-commit guard ({@code huddle setup --git-hook}): a {@code pre-commit} hook in the repository's hooks
 * directory (as git resolves it: {@code git rev-parse --git-path hooks}, so worktrees share the main repository's and
 * {@code core.hooksPath} is honoured) that asks the hub whether the staged files are claimed exclusively by another
 * live agent, and refuses the commit if they are. An existing pre-commit hook of another tool is kept and chained:
 * it moves to {@code pre-commit.pre-huddle} and runs first. Without curl or a hub, the guard lets the commit through.
 */
public final class GitHook {
    /** The line that marks the hook as ours, any version. */
    public static final String MARKER = "# huddle pre-commit guard";
    public static final int VERSION = 1;
    static final String CHAINED = "pre-commit.pre-huddle";

    /** What happened: {@code action} is installed, updated, unchanged, chained, removed, restored or not-installed. */
    public record Result(boolean ok, String action, Path hook, String message, List<String> notes) {}

    private GitHook() {}

    public static Result install(Path cwd, Path httpSocket, boolean dryRun) {
        Path dir;
        try {
            dir = hooksDir(cwd);
        } catch (IOException e) {
            return new Result(false, "refused", null, e.getMessage(), List.of());
        }
        Path hook = dir.resolve("pre-commit");
        Path chained = dir.resolve(CHAINED);
        String want = script(httpSocket);
        List<String> notes = new ArrayList<>();
        notes.addAll(hooksPathNote(cwd, dir));
        try {
            boolean exists = Files.exists(hook, LinkOption.NOFOLLOW_LINKS);
            if (exists && isOurs(hook)) {
                if (Files.readString(hook, StandardCharsets.UTF_8).equals(want)) return new Result(true, "unchanged", hook, "already installed", notes);
                if (!dryRun) write(hook, want);
                return new Result(true, "updated", hook, "updated in place", notes);
            }
            if (exists) {
                if (Files.exists(chained, LinkOption.NOFOLLOW_LINKS)) {
                    return new Result(false, "refused", hook, hook + " is another tool's hook and " + chained + " exists already, so huddle"
                            + " cannot chain it. Merge them by hand (or remove " + chained + ") and run huddle setup --git-hook again.", notes);
                }
                if (!dryRun) {
                    Files.move(hook, chained, StandardCopyOption.ATOMIC_MOVE);
                    write(hook, want);
                }
                return new Result(true, "chained", hook, "installed; the existing hook moved to " + chained.getFileName() + " and runs first", notes);
            }
            if (!dryRun) {
                Files.createDirectories(dir);
                write(hook, want);
            }
            return new Result(true, "installed", hook, "installed", notes);
        } catch (IOException e) {
            return new Result(false, "refused", hook, "cannot write " + hook + ": " + e.getMessage(), notes);
        }
    }

    public static Result uninstall(Path cwd, boolean dryRun) {
        Path dir;
        try {
            dir = hooksDir(cwd);
        } catch (IOException e) {
            return new Result(false, "refused", null, e.getMessage(), List.of());
        }
        Path hook = dir.resolve("pre-commit");
        Path chained = dir.resolve(CHAINED);
        try {
            if (!Files.exists(hook, LinkOption.NOFOLLOW_LINKS) || !isOurs(hook)) {
                return new Result(true, "not-installed", hook, "no huddle pre-commit guard in " + dir, List.of());
            }
            boolean restore = Files.exists(chained, LinkOption.NOFOLLOW_LINKS);
            if (!dryRun) {
                Files.delete(hook);
                if (restore) Files.move(chained, hook, StandardCopyOption.ATOMIC_MOVE);
            }
            return restore ? new Result(true, "restored", hook, "removed; the chained hook is back as pre-commit", List.of())
                    : new Result(true, "removed", hook, "removed", List.of());
        } catch (IOException e) {
            return new Result(false, "refused", hook, "cannot change " + hook + ": " + e.getMessage(), List.of());
        }
    }

    /** The hook: chained hook first, then one curl to the hub; exit 1 (with the hub's reason) only on a refusal. */
    public static String script(Path httpSocket) {
        return "#!/bin/sh\n"
                + MARKER + " v" + VERSION + ": refuses a commit of files another live agent claims exclusively.\n"
                + "# Installed by `huddle setup --git-hook`; `huddle uninstall --git-hook` removes it (docs/setup.md).\n"
                + "# Commit anyway: HUDDLE_ALLOW_CLAIMED=1 git commit ...  (or git commit --no-verify). No hub or no curl: allowed.\n"
                + "d=$(dirname \"$0\")\n"
                + "if [ -x \"$d/" + CHAINED + "\" ]; then \"$d/" + CHAINED + "\" \"$@\" || exit $?; fi\n"
                + "[ \"$HUDDLE_ALLOW_CLAIMED\" = 1 ] && exit 0\n"
                + "command -v curl >/dev/null 2>&1 || exit 0\n"
                + "top=$(git rev-parse --show-toplevel 2>/dev/null) || exit 0\n"
                + "r=$({ printf '%s\\000' \"$top\"; git diff --cached --name-only -z --no-renames 2>/dev/null; } | curl -sf --max-time 3"
                + " --unix-socket " + HookCommands.shellQuote(httpSocket.toString()) + " -H 'Expect:' -H \"" + HookCommands.PID_HEADER
                + ": $PPID\" --data-binary @- 'http://huddle/v1/commit-check' 2>/dev/null) || exit 0\n"
                + "case \"$r\" in\n"
                + "  refuse*) printf '%s\\n' \"$r\" | sed 1d >&2; exit 1 ;;\n"
                + "  warn*) printf '%s\\n' \"$r\" | sed 1d >&2 ;;\n"
                + "esac\n"
                + "exit 0\n";
    }

    static boolean isOurs(Path hook) throws IOException {
        if (!Files.isRegularFile(hook)) return false;
        byte[] head;
        try (var in = Files.newInputStream(hook)) {
            head = in.readNBytes(512);
        }
        return new String(head, StandardCharsets.UTF_8).contains(MARKER);
    }

    private static void write(Path hook, String text) throws IOException {
        Path tmp = hook.resolveSibling(hook.getFileName() + ".huddle-tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, hook, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A hooks directory inside the working tree (core.hooksPath = .githooks) is shared through the repository: say so. */
    private static List<String> hooksPathNote(Path cwd, Path dir) {
        try {
            Path top = Path.of(git(cwd, "rev-parse", "--show-toplevel")).toAbsolutePath().normalize();
            if (dir.startsWith(top) && !dir.startsWith(top.resolve(".git"))) {
                return List.of("core.hooksPath points into the working tree (" + top.relativize(dir) + "): the guard is a file of the"
                        + " repository there, shared by whoever uses that path");
            }
        } catch (IOException ignored) {
            // no note
        }
        return List.of();
    }

    /** Where git looks for hooks from {@code cwd}: {@code git rev-parse --git-path hooks}, absolute. */
    static Path hooksDir(Path cwd) throws IOException {
        String out = git(cwd, "rev-parse", "--git-path", "hooks");
        Path p = Path.of(out);
        return (p.isAbsolute() ? p : cwd.resolve(p)).toAbsolutePath().normalize();
    }

    private static String git(Path cwd, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", cwd.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("git is not installed (or not on PATH): the pre-commit guard needs a git repository");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) throw new IOException(cwd + " is not in a git repository (git: " + out.lines().findFirst().orElse("") + ")");
        return out;
    }
}
