package dev.huddle.tools.demo;

/** ANSI styling for the demo's output, or none (NO_COLOR, not a terminal, {@code --json}). */
record Style(boolean color) {
    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
