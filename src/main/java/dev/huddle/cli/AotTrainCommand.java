package dev.huddle.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "aot-train", description = "Create the AOT caches for this jar and JDK.")
final class AotTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Cli.EXIT_FAILURE; // being written
    }
}
