package dev.huddle.hub.claims;

import dev.huddle.core.claims.ClaimPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The real file system behind {@link ClaimPaths}: symbolic links of the longest existing prefix resolved. */
public final class NioRealPaths implements ClaimPaths.RealPaths {
    @Override
    public Path realPath(Path p) {
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return p;
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            // A dangling link: where it points is the question; follow it by hand once.
            try {
                if (Files.isSymbolicLink(existing)) {
                    Path target = existing.resolveSibling(Files.readSymbolicLink(existing)).normalize();
                    return target.resolve(existing.relativize(p)).normalize();
                }
            } catch (IOException | RuntimeException ignored) {
                // fall through: treat it literally
            }
            return p;
        }
    }
}
