package dev.huddle.agents.transcript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files a transcript-location test lays out in its scratch home. */
public final class ScratchFiles {
    private ScratchFiles() {}

    /** Creates {@code p} (and its directories) holding one empty JSON line. */
    public static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{}\n");
        return p;
    }
}
