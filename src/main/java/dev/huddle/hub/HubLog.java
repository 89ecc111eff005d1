package dev.huddle.hub;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Printable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The hub's log: {@code $HUDDLE_HOME/logs/hub.log}, rotated by size ({@code hub.log.1} ... {@code hub.log.N}),
 * files created 0600. Everything (our code, the MCP SDK and Jetty through slf4j-jdk14) goes through
 * java.util.logging into this one handler; nothing is written to stdout.
 */
public final class HubLog extends Handler {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    HubLog(Path file, long maxBytes, int keep) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        open();
    }

    public static void install(Path logDir, Level level) throws IOException {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        HubLog handler = new HubLog(logDir.resolve("hub.log"), 5L << 20, 3);
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        // Third-party chatter stays at warnings unless debugging. JUL holds loggers weakly: keep references.
        Level thirdParty = level.intValue() < Level.INFO.intValue() ? level : Level.WARNING;
        PINNED[0] = Logger.getLogger("io.modelcontextprotocol");
        PINNED[1] = Logger.getLogger("org.eclipse.jetty");
        for (Logger l : PINNED) l.setLevel(thirdParty);
    }

    private static final Logger[] PINNED = new Logger[2];

    private void open() throws IOException {
        HubPaths.ensurePrivateFile(file);
        out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (!isLoggable(r) || Rehearsal.quiet()) return; // a rehearsal leaves no lines (its one line is logged after it)
        StringBuilder b = new StringBuilder(160);
        b.append(Instant.ofEpochMilli(r.getMillis())).append(' ').append(r.getLevel().getName()).append(' ')
                .append(shortName(r.getLoggerName())).append(": ").append(Printable.lines(format(r))); // names and paths came from agents: a tail of the log must not drive the terminal
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            b.append('\n').append(sw);
        }
        b.append('\n');
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (size + bytes.length > maxBytes) rotate();
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException ignored) {
            // a full disk must not take the hub down
        }
    }

    private static String format(LogRecord r) {
        String msg = r.getMessage();
        Object[] params = r.getParameters();
        if (msg == null) return "";
        if (params == null || params.length == 0) return msg;
        try {
            return java.text.MessageFormat.format(msg, params);
        } catch (IllegalArgumentException e) {
            return msg;
        }
    }

    private static String shortName(String logger) {
        if (logger == null) return "-";
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    private void rotate() throws IOException {
        out.close();
        for (int k = keep - 1; k >= 1; k--) {
            Path from = file.resolveSibling(file.getFileName() + "." + k);
            if (Files.exists(from)) {
                Files.move(from, file.resolveSibling(file.getFileName() + "." + (k + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
