package dev.huddle.protocol;

import java.util.List;

/**
 * JVM flags per process role. The launcher ({@code ./huddle}) repeats {@link #FRONT} literally; a unit test
 * keeps the two in step. {@code -Xlog:disable -Xlog:all=warning:stderr} keeps JVM log lines (AOT cache
 * warnings among them) off stdout, which belongs to MCP in the front.
 */
public final class JvmOptions {
    private JvmOptions() {}

    public static final List<String> COMMON = List.of(
            "-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED");

    /**
     * The stdio front: small heap and code cache, one compiler thread; it only pipes bytes. An agent host runs one per
     * session, so the class (CDS or AOT) archive is mapped where it was dumped instead of at a random address:
     * relocating it writes every page, and each front then holds a private 7 MB copy (20 fronts: 607 MB PSS with
     * relocation, 484 MB without). The archive's address is then not randomized: the JDK's default until JDK 20. As for
     * the hub, the cache's training profiles are not replayed (see {@link #HUB}).
     */
    public static final List<String> FRONT = List.of(
            "-Xms8m", "-Xmx32m", "-Xss512k", "-XX:ReservedCodeCacheSize=16m", "-XX:CICompilerCount=1",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-XX:-AOTReplayTraining");

    /**
     * The hub: long-lived, many connections on virtual threads; a capped heap keeps its RSS predictable. The AOT cache's
     * training profiles are not replayed: with C1 only ({@code TieredStopAtLevel=1}) replaying them means compiling,
     * at start, every method that was hot in training, which cost about 70 ms of CPU (of about 600) before the hub
     * accepts; methods are compiled when they get hot instead (docs/BENCHMARKS.md, "Hub start").
     */
    public static final List<String> HUB = List.of("-Xms16m", "-Xmx160m", "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
}
