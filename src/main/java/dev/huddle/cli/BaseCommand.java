package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.json.Json;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The base of huddle's commands: the picocli spec, stdout and stderr, and the hub client. A command's {@link #run()}
 * returns its exit code, or ends with an {@link ExitException} that the root command reports; both streams are flushed
 * at the end either way (the JVM exits right after).
 */
public abstract class BaseCommand implements Callable<Integer> {
    @CommandLine.Spec
    protected CommandLine.Model.CommandSpec spec;

    private HubClient hub;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Does the command's work; returns the exit code. */
    protected abstract int run() throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The hub of this user's environment, asked from the current directory (never started unless asked for). */
    protected HubClient hub() {
        if (hub == null) hub = HubClient.fromEnvironment();
        return hub;
    }

    /** Prints {@code value} as one line of JSON. */
    protected void printJson(Object value) {
        out().println(Json.write(value));
    }

    /** The one-line synopsis a usage error prints after its message, or null for none. */
    protected String usageLine() {
        return null;
    }

    /** A usage error (exit 2) saying {@code what}, followed by {@link #usageLine()}. */
    protected ExitException usage(String what) {
        String line = usageLine();
        return line == null ? new ExitException(ExitCodes.USAGE, what) : new ExitException(ExitCodes.USAGE, what, line);
    }

    /**
     * For commands that only talk to a hub already running (they never start one): the reply to {@code request}, or
     * exit 3 saying {@code noHub} when none runs, or exit 1 with the reason when it refused or failed.
     */
    protected <R> R callRunning(ControlRequest<R> request, String noHub) {
        try {
            return hub().call(request);
        } catch (HubConnector.HubUnavailableException e) {
            throw new ExitException(ExitCodes.HUB_NOT_RUNNING, noHub);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
    }
}
