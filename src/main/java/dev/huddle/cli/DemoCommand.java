package dev.huddle.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "demo", description = "Run an end-to-end demo on a private hub.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Cli.EXIT_FAILURE; // being written
    }
}
