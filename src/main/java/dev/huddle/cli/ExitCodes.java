package dev.huddle.cli;

/**
 * The exit codes of huddle's commands: 0 success, 1 failure, 2 usage error, 3 hub not running, 4 doctor found
 * problems; {@code huddle status --check}: 5 wait cycle (deadlock), 6 mail stranded on an offline agent, 7 obligation
 * open longer than the threshold (the first of these that applies, in that order).
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int HUB_NOT_RUNNING = 3;
    public static final int PROBLEMS = 4;
    public static final int DEADLOCK = 5;
    public static final int STRANDED_MAIL = 6;
    public static final int STALE_OBLIGATION = 7;
}
