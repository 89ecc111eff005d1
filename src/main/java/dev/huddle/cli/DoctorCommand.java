package dev.huddle.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "doctor", description = "Check the JDK, hub, sockets and permissions, tmux, curl and client configs.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Cli.EXIT_FAILURE; // being written
    }
}
