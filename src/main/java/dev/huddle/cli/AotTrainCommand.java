package dev.huddle.cli;

import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.protocol.AotCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code huddle internal aot-train [--out DIR] [--force]}: creates the AOT caches of this jar and JDK (see
 * {@link AotTrainer}). A hub starts it in the background the first time it runs from a jar without caches; the
 * output goes to {@code logs/aot-train.log}. Exit 0 when the caches are ready (or another trainer is at work).
 */
@Command(name = "aot-train", description = "Create the AOT caches for this jar and JDK.")
final class AotTrainCommand extends BaseCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the caches (default: $HUDDLE_AOT_DIR, else <jar dir>/aot "
            + "when writable, else $HUDDLE_HOME/aot).")
    File out;

    @Option(names = "--force", description = "Train again even when the caches exist.")
    boolean force;

    @Override
    protected int run() {
        Map<String, String> env = System.getenv();
        Path jar = AotCache.runningJar(env).orElseThrow(() -> new ExitException(ExitCodes.FAILURE,
                "needs to run from huddle.jar (or set HUDDLE_JAR)"));
        Path dir = out != null ? out.toPath() : AotCache.directory(jar, env);
        List<Path> reuse = out != null ? List.of() : AotCache.directories(jar, env);
        AotTrainer.Outcome outcome = new AotTrainer(ChildJava.javaCommand(), jar, dir, force, System.out).reusing(reuse).run();
        return outcome == AotTrainer.Outcome.FAILED ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
