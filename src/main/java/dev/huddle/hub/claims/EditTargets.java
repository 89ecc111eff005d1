package dev.huddle.hub.claims;

import dev.huddle.core.claims.ClaimPaths;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a hook or a commit names, as claims see them: relative to the repository root, with where each really
 * lives (symbolic links resolved) when that differs. Asks the file system, so it holds no lock.
 */
final class EditTargets {
    /** Files of one hook call (a patch, a shell command) looked at; the rest is ignored. */
    static final int MAX_FILES_PER_CALL = 200;

    private final ClaimPaths.RealPaths real;

    EditTargets(ClaimPaths.RealPaths real) {
        this.real = real;
    }

    /**
     * The files a hook names, resolved for claims: relative paths against {@code cwd} (the session's), {@code ..}
     * lexically; a file outside the repository, the root itself, or one whose real location (symbolic links
     * resolved) is outside it is left out: it is never refused and never recorded. Not synchronized: it asks the file
     * system.
     */
    List<EditTarget> targets(String projectRoot, List<String> files, String cwd) {
        if (projectRoot == null || files == null || files.isEmpty()) return List.of();
        Path root = Path.of(projectRoot);
        Path realRoot = real.realPath(root);
        Path base = cwd != null && cwd.startsWith("/") ? Path.of(cwd) : root;
        List<EditTarget> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String f : files) {
            if (out.size() >= MAX_FILES_PER_CALL) break;
            if (f == null || f.isBlank() || f.length() > ClaimPaths.MAX_CHARS || f.chars().anyMatch(c -> c < 0x20)) continue;
            Path abs;
            try {
                abs = base.resolve(f).normalize();
            } catch (InvalidPathException e) {
                continue;
            }
            if (!abs.startsWith(root) || abs.equals(root)) continue;
            Path realAbs = real.realPath(abs);
            if (!realAbs.startsWith(realRoot) || realAbs.equals(realRoot)) continue; // a link out: that file lives elsewhere
            String rel = root.relativize(abs).toString();
            String realRel = realRoot.relativize(realAbs).toString();
            if (seen.add(rel)) out.add(new EditTarget(rel, realRel.equals(rel) ? null : realRel));
        }
        return out;
    }
}
