package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether the agent, rather than another program, owns the keyboard of its terminal right now. The process tree
 * proves which pane hosts an agent, not who reads what is typed there: the agent may be suspended (^Z) with the
 * shell prompt back in front, or have a pager, an editor or another job in the foreground, or run detached from
 * any terminal (Codex 0.157+ runs its threads, and so their MCP servers, in an app-server daemon with no terminal).
 *
 * <p>The rule, checked before typing and again right before every keystroke: the agent process is not stopped,
 * it has a controlling terminal, that terminal is the pane's (when the waker knows the pane's tty), it reads that
 * terminal (its standard input, or that of a parent in the same job, is the terminal: a wrapper shell between the
 * client and huddle's MCP server is fine, but a process of a foreground job that only reads a pipe, with no reader of
 * the terminal above it in its job, reads no keys), and the agent's process group is the terminal's foreground
 * process group. Linux reads {@code /proc/<pid>/stat} and {@code /proc/<pid>/fd/0}; other systems (macOS) ask {@code ps}
 * for the same fields and cannot see standard input.
 */
public interface Foreground {

    /**
     * Empty when keystrokes sent to {@code paneTty} (null: the agent's own terminal) reach the agent; else one line
     * saying why not, naming the process that has the foreground.
     */
    Optional<String> refusal(AgentProcess agent, String paneTty);

    /** /proc where there is one, else ps. */
    static Foreground system() {
        Path proc = Path.of("/proc");
        return Files.isReadable(proc.resolve("self").resolve("stat"))
                ? new Check(new ProcTable(proc))
                : new Check(new PsTable(CommandRunner.system()));
    }

    /** Where a check reads processes from. */
    interface ProcessTable {
        Optional<ProcStat> stat(long pid);

        /** Some process in group {@code pgrp}: the leader if it still runs, else any member. */
        Optional<ProcStat> memberOf(long pgrp);

        /** The device number of a terminal's device file ({@code /dev/pts/3}), comparable with {@link ProcStat#ttyDev()}. */
        Optional<Long> deviceOf(String ttyPath);

        /** What the process's standard input is; empty when it cannot be seen. */
        Optional<Stdin> stdin(long pid);

        /** Whether {@link #stdin} can be asked at all ({@code ps} cannot). */
        default boolean seesStdin() {
            return true;
        }
    }

    /** A process's standard input: the device number behind it (0 when it is no device: a pipe, a socket, a file) and what it is. */
    record Stdin(long device, String what) {
    }

    /** The rule itself, over any {@link ProcessTable}. */
    final class Check implements Foreground {
        private final ProcessTable table;

        public Check(ProcessTable table) {
            this.table = table;
        }

        @Override
        public Optional<String> refusal(AgentProcess agent, String paneTty) {
            Optional<ProcStat> read = table.stat(agent.pid());
            if (read.isEmpty()) return Optional.of("cannot read the state of agent process " + agent.pid() + " (gone?)");
            ProcStat a = read.get();
            if (a.stopped()) {
                return Optional.of("agent " + a.label() + " is stopped (suspended with ^Z?): it reads no keys");
            }
            if (!a.hasTerminal()) {
                return Optional.of("agent " + a.label() + " has no controlling terminal (it runs detached, like Codex's"
                        + " app-server daemon): keys typed into a pane would reach another program");
            }
            String tty = paneTty != null && !paneTty.isBlank() ? paneTty : ProcStat.ttyName(a.ttyDev());
            if (paneTty != null && !paneTty.isBlank()) {
                Optional<Long> dev = table.deviceOf(paneTty);
                if (dev.isEmpty()) return Optional.of("cannot read the pane's terminal " + paneTty);
                if (dev.get() != a.ttyDev()) {
                    return Optional.of("agent " + a.label() + " is attached to " + ProcStat.ttyName(a.ttyDev())
                            + ", not to the pane's terminal " + paneTty);
                }
            }
            if (a.tpgid() <= 0) return Optional.of(tty + " has no foreground process group");
            if (a.tpgid() != a.pgrp()) {
                String front = table.memberOf(a.tpgid()).map(ProcStat::label).orElse("process group " + a.tpgid());
                return Optional.of(front + " has the foreground of " + tty + ", not agent " + a.label()
                        + " (its job is in the background or suspended, or a child program took the terminal)");
            }
            return table.seesStdin() ? readsTerminal(a, tty) : Optional.empty();
        }

        /**
         * Empty when the agent, or a parent in its process group (a wrapper shell the client started huddle's MCP
         * server through), has the terminal as its standard input; else why not.
         */
        private Optional<String> readsTerminal(ProcStat agent, String tty) {
            ProcStat p = agent;
            Stdin first = null;
            for (int depth = 0; depth < 8; depth++) {
                Optional<Stdin> in = table.stdin(p.pid());
                if (in.isEmpty()) return Optional.of("cannot see what " + p.label() + " reads (its standard input)");
                if (in.get().device() == agent.ttyDev()) return Optional.empty();
                if (first == null) first = in.get();
                Optional<ProcStat> parent = table.stat(p.ppid());
                if (parent.isEmpty() || parent.get().pgrp() != agent.pgrp()) break;
                p = parent.get();
            }
            return Optional.of("agent " + agent.label() + " does not read " + tty + " (its standard input is " + first.what()
                    + "), and no parent in its job does");
        }
    }

    /** Linux: {@code /proc}. */
    final class ProcTable implements ProcessTable {
        private final Path root;

        public ProcTable(Path root) {
            this.root = root;
        }

        @Override
        public Optional<ProcStat> stat(long pid) {
            return ProcStat.read(root, pid);
        }

        @Override
        public Optional<ProcStat> memberOf(long pgrp) {
            Optional<ProcStat> leader = stat(pgrp).filter(s -> s.pgrp() == pgrp);
            if (leader.isPresent()) return leader;
            try (Stream<Path> entries = Files.list(root)) {
                return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                        .map(n -> stat(Long.parseLong(n))).flatMap(Optional::stream)
                        .filter(s -> s.pgrp() == pgrp).findFirst();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<Long> deviceOf(String ttyPath) {
            return Foreground.rdev(ttyPath);
        }

        @Override
        public Optional<Stdin> stdin(long pid) {
            Path fd0 = root.resolve(Long.toString(pid)).resolve("fd").resolve("0");
            try {
                String what = Files.readSymbolicLink(fd0).toString();
                Object dev = Files.getAttribute(fd0, "unix:rdev"); // follows the link to the file itself
                return Optional.of(new Stdin(dev instanceof Long l ? l : 0, what));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Systems without /proc: {@code ps -o pid=,ppid=,pgid=,tpgid=,stat=,tty=,comm= -p <pid>} (the same fields; the
     * terminal comes back as a name, turned into its device number through {@code /dev}).
     */
    final class PsTable implements ProcessTable {
        private final CommandRunner runner;

        public PsTable(CommandRunner runner) {
            this.runner = runner;
        }

        @Override
        public Optional<ProcStat> stat(long pid) {
            CommandRunner.Result r = runner.run(List.of("ps", "-o", "pid=,ppid=,pgid=,tpgid=,stat=,tty=,comm=", "-p", Long.toString(pid)),
                    Duration.ofSeconds(2));
            if (!r.ok()) return Optional.empty();
            return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().flatMap(PsTable::parseLine);
        }

        /** One line of the ps output above; {@code comm} is last, so it may hold spaces. */
        static Optional<ProcStat> parseLine(String line) {
            String[] f = line.strip().split("\\s+", 7);
            if (f.length < 7) return Optional.empty();
            try {
                String tty = f[5];
                long dev = tty.startsWith("?") || tty.equals("-") ? 0
                        : Foreground.rdev(tty.startsWith("/") ? tty : "/dev/" + tty).orElse(0L);
                return Optional.of(new ProcStat(Long.parseLong(f[0]), f[6], f[4].charAt(0), Long.parseLong(f[1]),
                        Long.parseLong(f[2]), 0, dev, Long.parseLong(f[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<ProcStat> memberOf(long pgrp) {
            return stat(pgrp);
        }

        @Override
        public Optional<Long> deviceOf(String ttyPath) {
            return Foreground.rdev(ttyPath);
        }

        @Override
        public Optional<Stdin> stdin(long pid) {
            return Optional.empty();
        }

        @Override
        public boolean seesStdin() {
            return false;
        }
    }

    /** The device number a character device file stands for ({@code st_rdev}). */
    static Optional<Long> rdev(String path) {
        try {
            Object v = Files.getAttribute(Path.of(path), "unix:rdev");
            return v instanceof Long l && l != 0 ? Optional.of(l) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
