package dev.huddle.core.claims;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a path or glob an agent passes to {@code claim_paths} into a pattern relative to its repository root, or
 * refuses it with a structured error:
 * <ul>
 *   <li>relative input is resolved against the caller's working directory (the repository root when it works
 *       there); absolute input must lie in the repository;</li>
 *   <li>{@code ..} is resolved lexically first: {@code src/../../x} leaving the repository is refused
 *       ({@code path-outside-repository}), {@code src/../lib} is {@code lib};</li>
 *   <li>the literal part of the path (up to the first wildcard segment) must still lie in the repository once its
 *       symbolic links are resolved ({@code path-escapes-repository});</li>
 *   <li>a pattern that claims the whole repository ({@code **}, {@code *}, {@code * /**}, {@code .}) is refused
 *       ({@code claim-too-broad}): claim the directories you will edit instead;</li>
 *   <li>empty, over-long, control characters, backslashes, more than 4 {@code **}: {@code invalid-path}.</li>
 * </ul>
 * Pure: symbolic links are resolved through {@link RealPaths}.
 */
public final class ClaimPaths {
    public static final int MAX_CHARS = 1024;
    public static final int MAX_ANY_DEPTH = 4;

    /** The file-system question the normaliser asks. */
    public interface RealPaths {
        /** {@code p} with the symbolic links of its longest existing prefix resolved and the rest appended. */
        Path realPath(Path p);
    }

    /** A normalised request: what the caller passed, and the repository-relative pattern it became. */
    public record Normalised(String raw, String pattern, boolean glob) {}

    private final RealPaths fs;

    public ClaimPaths(RealPaths fs) {
        this.fs = fs;
    }

    /**
     * @param root the repository root (absolute)
     * @param cwd  the caller's working directory; the root when unknown or outside it
     */
    public Normalised normalise(String raw, Path root, Path cwd) {
        if (raw == null || raw.isBlank()) throw invalid(raw, "a path is empty", "Pass a file, directory or glob of this repository.");
        String s = raw.strip();
        if (s.length() > MAX_CHARS) throw invalid(raw, "a path is longer than " + MAX_CHARS + " characters", "Pass a shorter path or a glob.");
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw invalid(raw, "a path contains control characters", "Remove them.");
        if (s.indexOf('\\') >= 0) {
            throw invalid(raw, "a path contains a backslash", "Use '/' between path segments; glob escapes are not supported.");
        }
        Path base = cwd != null && cwd.isAbsolute() && cwd.normalize().startsWith(root) ? cwd.normalize() : root;
        Path abs;
        try {
            abs = base.resolve(s).normalize();
        } catch (InvalidPathException e) {
            throw invalid(raw, "a path is not valid: " + e.getReason(), "Pass a file, directory or glob of this repository.");
        }
        if (!abs.startsWith(root)) {
            throw new HuddleError("path-outside-repository", "'" + short_(raw) + "' is " + abs + ", outside this project's repository " + root,
                    "Claim only paths inside " + root + " (relative to your working directory or absolute). Other projects' files cannot be claimed from here.",
                    Map.of("path", short_(raw), "resolved", abs.toString(), "repository", root.toString()));
        }
        String rel = root.relativize(abs).toString();
        ClaimPattern compiled = ClaimPattern.compile(rel);
        if (rel.isEmpty() || compiled.onlyWildcards()) {
            throw new HuddleError("claim-too-broad", "'" + short_(raw) + "' would claim the whole repository",
                    "Claim the files or directories you will edit (for example src/api or src/api/**/*.java); peers keep working on the rest.",
                    Map.of("path", short_(raw)));
        }
        if (rel.split("/").length > 0 && countAnyDepth(rel) > MAX_ANY_DEPTH) {
            throw invalid(raw, "a glob has more than " + MAX_ANY_DEPTH + " '**' segments", "Use a simpler glob.");
        }
        Path literal = root;
        for (String seg : rel.split("/")) {
            if (ClaimPattern.firstWildcard(seg) >= 0) break;
            literal = literal.resolve(seg);
        }
        Path realRoot = fs.realPath(root);
        Path realLiteral = fs.realPath(literal);
        if (!realLiteral.startsWith(realRoot)) {
            throw new HuddleError("path-escapes-repository", "'" + short_(raw) + "' leads through a symbolic link to " + realLiteral
                    + ", outside this project's repository " + realRoot,
                    "Claim paths whose files live in this repository; a link to another place cannot be claimed from here.",
                    Map.of("path", short_(raw), "real_path", realLiteral.toString(), "repository", realRoot.toString()));
        }
        return new Normalised(raw, rel, compiled.isGlob());
    }

    private static int countAnyDepth(String rel) {
        int n = 0;
        for (String seg : rel.split("/")) if (seg.equals("**")) n++;
        return n;
    }

    private static HuddleError invalid(String raw, String what, String hint) {
        return new HuddleError("invalid-path", what + (raw == null ? "" : " ('" + short_(raw) + "')"), hint,
                Map.of("path", raw == null ? "" : short_(raw)));
    }

    private static String short_(String raw) {
        return Validation.truncate(raw, 120);
    }
}
