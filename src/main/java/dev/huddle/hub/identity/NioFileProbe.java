package dev.huddle.hub.identity;

import dev.huddle.core.identity.ProjectLocator;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The real file system behind {@link ProjectLocator}. */
public final class NioFileProbe implements ProjectLocator.FileProbe {
    @Override
    public boolean isDirectory(Path p) {
        return Files.isDirectory(p);
    }

    @Override
    public boolean isFile(Path p) {
        return Files.isRegularFile(p);
    }

    @Override
    public Optional<String> firstLine(Path p) {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            return Optional.ofNullable(r.readLine());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> text(Path p, int maxBytes) {
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > maxBytes) return Optional.empty();
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) { // unreadable, or not UTF-8
            return Optional.empty();
        }
    }
}
