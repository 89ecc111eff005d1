package dev.huddle.terminal;

import dev.huddle.protocol.AgentEnv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kitty: {@code kitty @ --to <KITTY_LISTEN_ON> send-text --match id:<KITTY_WINDOW_ID> -- <text>}. Needs remote
 * control enabled and a listen address in the agent's environment. kitty reads the text with Python escape rules,
 * so backslashes are doubled, and Enter is the escape {@code \r}.
 */
public final class KittyWaker extends RemoteTerminalWaker {
    public static final String ROUTE = "kitty";
    private final String binary;

    public KittyWaker(CommandRunner runner, ProcessInspector processes, Foreground foreground, String binary) {
        super(ROUTE, runner, processes, foreground);
        this.binary = binary;
    }

    public KittyWaker(CommandRunner runner, ProcessInspector processes, String binary) {
        this(runner, processes, Foreground.system(), binary);
    }

    public KittyWaker() {
        this(CommandRunner.system(), new ProcessInspector(), binary("kitty"));
    }

    @Override
    Address address(TerminalTarget target) {
        if (binary == null) return Address.none("kitty is not installed (not on PATH)");
        String listen = target.env(AgentEnv.KITTY_LISTEN_ON);
        if (listen == null || listen.isBlank()) return Address.none("kitty remote control is not reachable: KITTY_LISTEN_ON is not set in the agent's environment");
        String window = "kitty".equals(target.terminal().kind()) && target.terminal().pane() != null
                ? target.terminal().pane() : target.env(AgentEnv.KITTY_WINDOW_ID);
        if (window == null || !window.matches("\\d{1,9}")) return Address.none("no kitty window id recorded for the agent");
        return new Address(List.of(binary, "@", "--to", listen), window, null);
    }

    @Override
    List<String> sendText(Address a, String text, Composer composer) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("send-text", "--match", "id:" + a.pane(), "--", text.replace("\\", "\\\\")));
        return argv;
    }

    @Override
    List<String> sendEnter(Address a) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("send-text", "--match", "id:" + a.pane(), "--", "\\r"));
        return argv;
    }

    @Override
    Optional<String> screenText(Address a) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("get-text", "--match", "id:" + a.pane()));
        CommandRunner.Result r = runner.run(argv, TIMEOUT);
        return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
    }
}
