package dev.huddle.terminal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The job-control fields of one process, as Linux shows them in {@code /proc/<pid>/stat} (fields 1 to 8): pid,
 * {@code comm}, state, ppid, process group, session, controlling terminal ({@code tty_nr}, 0 for none) and that
 * terminal's foreground process group ({@code tpgid}, -1 for none).
 *
 * <p>{@code comm} is the executable's name as the process set it: it may hold spaces and parentheses (a program
 * can call itself {@code "a) S 1 (b"}), so it is everything between the first {@code (} and the <em>last</em>
 * {@code )}; the numeric fields follow the last {@code )}.
 *
 * @param ttyDev the controlling terminal's device number, comparable with the {@code unix:rdev} of its device
 *               file (the kernel's {@code tty_nr} and glibc's {@code dev_t} agree for every terminal device); 0 = none
 */
public record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session, long ttyDev, long tpgid) {

    /** Parses one {@code /proc/<pid>/stat} line; empty when it is not one. */
    public static Optional<ProcStat> parse(String line) {
        if (line == null) return Optional.empty();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open <= 0 || close < open || close + 2 > line.length()) return Optional.empty();
        String[] f = line.substring(close + 2).strip().split(" +");
        if (f.length < 6 || f[0].length() != 1) return Optional.empty();
        try {
            return Optional.of(new ProcStat(Long.parseLong(line.substring(0, open).strip()), line.substring(open + 1, close),
                    f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Integer.toUnsignedLong(Integer.parseInt(f[4])), Long.parseLong(f[5])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The stat of {@code pid} from {@code procRoot} ({@code /proc}); empty when the process is gone or unreadable. */
    static Optional<ProcStat> read(Path procRoot, long pid) {
        try {
            return parse(Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stopped by job control ({@code T}, e.g. after ^Z) or by a tracer ({@code t}): it reads nothing now. */
    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    public boolean hasTerminal() {
        return ttyDev != 0;
    }

    /** {@code comm (pid N)}, for reasons. */
    public String label() {
        return comm + " (pid " + pid + ")";
    }

    /** A readable name for a terminal device number: {@code /dev/pts/N} for pseudo-terminals, else major:minor. */
    public static String ttyName(long dev) {
        long major = (dev >> 8) & 0xfff;
        long minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) return "/dev/pts/" + ((major - 136) * 256 + minor);
        return "terminal " + major + ":" + minor;
    }
}
