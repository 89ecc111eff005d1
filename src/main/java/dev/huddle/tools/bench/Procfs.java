package dev.huddle.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's memory and CPU use from /proc (Linux). */
final class Procfs {
    private Procfs() {}

    static boolean available() {
        return Files.isRegularFile(Path.of("/proc/self/status"));
    }

    /** VmRSS in KiB, or -1. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException ignored) {
            // gone, or not Linux
        }
        return -1;
    }

    /**
     * Proportional set size in KiB (Pss in smaps_rollup), or -1: a page shared by n processes counts 1/n in each, so
     * the sum over processes is the memory they really take. RSS counts shared pages (libjvm, the class and AOT
     * archives) once per process and overstates a group of JVMs.
     */
    static long pssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException ignored) {
            // gone, not Linux, or smaps_rollup not readable
        }
        return -1;
    }

    /** utime + stime in clock ticks (USER_HZ, 100 on Linux), or -1. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
        } catch (IOException | RuntimeException ignored) {
            return -1;
        }
    }

    /** Number of threads, or -1. */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).strip());
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return -1;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long memTotalMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.substring(9).strip().split("\\s+")[0]) / 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }
}
