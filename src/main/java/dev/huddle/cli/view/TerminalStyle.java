package dev.huddle.cli.view;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (https://no-color.org); and its width. */
public record TerminalStyle(boolean color) {
    public static TerminalStyle detect() {
        String noColor = System.getenv("NO_COLOR");
        boolean tty = System.console() != null && System.console().isTerminal();
        return new TerminalStyle(tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM")));
    }

    public String bold(String s) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    public String dim(String s) {
        return color ? "\u001b[2m" + s + "\u001b[0m" : s;
    }

    public String green(String s) {
        return color ? "\u001b[32m" + s + "\u001b[0m" : s;
    }

    public String red(String s) {
        return color ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    public String yellow(String s) {
        return color ? "\u001b[33m" + s + "\u001b[0m" : s;
    }

    /** The terminal's width: $COLUMNS, else {@code stty size} on the controlling terminal; null when not a terminal. */
    public static Integer width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}") && Integer.parseInt(columns) > 0) return Integer.parseInt(columns);
        if (System.console() == null || !System.console().isTerminal()) return null;
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0 && s.matches("\\d+ \\d+")) {
                int cols = Integer.parseInt(s.substring(s.indexOf(' ') + 1));
                return cols > 0 ? cols : null;
            }
            p.destroy();
        } catch (IOException e) {
            // no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
