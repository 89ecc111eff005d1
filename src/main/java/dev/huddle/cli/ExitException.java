package dev.huddle.cli;

import dev.huddle.protocol.Printable;
import java.io.PrintWriter;
import java.util.List;

/**
 * Ends a command with {@code code}: the root command prints the message as {@code huddle <command>: <message>} on
 * stderr, then the lines that follow it (a usage line, a hint), and exits with the code. A null message prints nothing
 * (the command said what it had to say).
 */
public final class ExitException extends RuntimeException {
    private final int code;
    private final List<String> more;

    public ExitException(int code, String message, String... more) {
        super(message, null, false, false);
        this.code = code;
        this.more = List.of(more);
    }

    public int code() {
        return code;
    }

    /** Prints the message (prefixed with the command's name) and the lines after it. */
    void report(PrintWriter err, String command) {
        // a refusal may quote a peer's name or the hub's log: shown through the one sanitizer
        if (getMessage() != null) err.println(command + ": " + Printable.lines(getMessage()));
        more.forEach(line -> err.println(Printable.lines(line)));
        err.flush();
    }
}
