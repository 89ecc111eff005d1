package dev.huddle.tools.bench;

import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every group of one {@code huddle bench} run shares: the java and jar it starts, its scratch directory, the
 * sample sizes, the progress stream, the processes it spawned (all killed at the end) and the figures measured.
 */
final class Lab {
    final String java;
    final Path jar;
    final Path root;
    final Path frontErr;
    final BenchSizes sizes;
    final PrintStream progress;
    private final List<Process> spawned = new ArrayList<>();
    private final Map<String, Figure> figures = new LinkedHashMap<>();

    Lab(String java, Path jar, Path root, BenchSizes sizes, PrintStream progress) {
        this.java = java;
        this.jar = jar;
        this.root = root;
        this.frontErr = root.resolve("fronts.err");
        this.sizes = sizes;
        this.progress = progress;
    }

    boolean quick() {
        return sizes == BenchSizes.QUICK;
    }

    /** A hub on {@code home}, with the hub's AOT cache when there is one; tracked, so it never outlives the bench. */
    PrivateHub startHub(Path home, Path cache) throws IOException {
        List<String> extra = cache == null ? List.of() : List.of("-XX:AOTCache=" + cache);
        PrivateHub hub = PrivateHub.start(java, jar, home, extra, Map.of());
        track(hub.process());
        return hub;
    }

    /** The production front command ({@code java <front flags> -jar huddle.jar mcp}), with {@code cache} when given. */
    List<String> frontCommand(Path cache) {
        List<String> flags = new ArrayList<>(AotTrainer.flagsFor("front"));
        if (cache != null) flags.add("-XX:AOTCache=" + cache);
        return ChildJava.command(java, flags, jar, List.of("mcp"));
    }

    /** A project directory (a git repository root, as far as the project locator is concerned). */
    Path project(String name) throws IOException {
        Path p = Files.createDirectories(root.resolve(name));
        Files.writeString(Files.createDirectories(p.resolve(".git")).resolve("HEAD"), "ref: refs/heads/main\n");
        return p.toRealPath();
    }

    synchronized Process track(Process p) {
        spawned.add(p);
        return p;
    }

    synchronized void killAll() {
        for (Process p : spawned) if (p.isAlive()) ChildJava.kill(p);
        spawned.clear();
    }

    synchronized void put(Figure f) {
        figures.put(f.id(), f);
    }

    synchronized Map<String, Figure> figures() {
        return new LinkedHashMap<>(figures);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
