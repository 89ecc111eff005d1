package dev.huddle.cli;

/** Whether to colour output: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
record TerminalStyle(boolean color) {
    static TerminalStyle detect() {
        String noColor = System.getenv("NO_COLOR");
        boolean tty = System.console() != null && System.console().isTerminal();
        return new TerminalStyle(tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM")));
    }

    String bold(String s) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }

    String dim(String s) {
        return color ? "\u001b[2m" + s + "\u001b[0m" : s;
    }

    String green(String s) {
        return color ? "\u001b[32m" + s + "\u001b[0m" : s;
    }

    String red(String s) {
        return color ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    String yellow(String s) {
        return color ? "\u001b[33m" + s + "\u001b[0m" : s;
    }
}
