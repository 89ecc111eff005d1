package dev.huddle.terminal;

import dev.huddle.protocol.AgentEnv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GNU screen: {@code screen -S <STY> -p <WINDOW> -X stuff <text>}, then {@code stuff \015}. The session is proven
 * by the process tree ({@code STY} starts with the screen server's pid, which must be an ancestor of the agent);
 * the window number is only reported ({@code WINDOW}). screen expands {@code $VAR}, {@code ^X} and backslash
 * escapes in {@code stuff}, so {@code \}, {@code ^} and {@code $} are escaped. The screen text comes from
 * {@code hardcopy} into a private temporary file.
 */
public final class ScreenWaker extends RemoteTerminalWaker {
    public static final String ROUTE = "screen";
    private final String binary;

    public ScreenWaker(CommandRunner runner, ProcessInspector processes, Foreground foreground, String binary) {
        super(ROUTE, runner, processes, foreground);
        this.binary = binary;
    }

    public ScreenWaker(CommandRunner runner, ProcessInspector processes, String binary) {
        this(runner, processes, Foreground.system(), binary);
    }

    public ScreenWaker() {
        this(CommandRunner.system(), new ProcessInspector(), binary("screen"));
    }

    @Override
    Address address(TerminalTarget target) {
        if (binary == null) return Address.none("GNU screen is not installed (not on PATH)");
        String sty = target.env(AgentEnv.STY);
        if (sty == null && "screen".equals(target.terminal().kind())) sty = target.terminal().session();
        if (sty == null || !sty.matches("\\d{1,9}\\.[A-Za-z0-9._-]{1,100}")) return Address.none("no GNU screen session (STY) recorded for the agent");
        String window = target.env(AgentEnv.WINDOW);
        if (window == null || !window.matches("\\d{1,4}")) return Address.none("no GNU screen window (WINDOW) recorded for the agent");
        return new Address(List.of(binary, "-S", sty, "-p", window, "-X"), sty + ":" + window, null);
    }

    @Override
    Optional<String> refuseProcessTree(TerminalTarget target, Address a) {
        long server = Long.parseLong(a.pane().substring(0, a.pane().indexOf('.')));
        return processes.ancestry(target.agent().pid(), 64).contains(server) ? Optional.empty()
                : Optional.of("screen session " + a.pane() + " (server pid " + server + ") is not an ancestor of agent pid " + target.agent().pid());
    }

    @Override
    List<String> sendText(Address a, String text, Composer composer) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("stuff", escape(text)));
        return argv;
    }

    @Override
    List<String> sendEnter(Address a) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("stuff", "\\015"));
        return argv;
    }

    @Override
    Optional<String> screenText(Address a) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("huddle-screen", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("hardcopy");
            List<String> argv = new ArrayList<>(a.prefix());
            argv.addAll(List.of("hardcopy", file.toString()));
            CommandRunner.Result r = runner.run(argv, TIMEOUT);
            if (!r.ok()) return Optional.empty();
            for (int i = 0; i < 20 && !Files.exists(file); i++) TmuxWaker.sleep(java.time.Duration.ofMillis(10)); // written by the server
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover empty private temp dir is harmless
                }
            }
        }
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("^", "\\^").replace("$", "\\$");
    }
}
