package dev.huddle.terminal;

import dev.huddle.protocol.AgentEnv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WezTerm: {@code wezterm cli send-text --pane-id <id> [--no-paste] -- <text>}. The pane is the one the registry
 * recorded ({@code WEZTERM_PANE}); a composer that takes a paste gets the text as a bracketed paste (send-text
 * pastes by default), the others as typed keys. The mux is the one {@code wezterm cli} finds from the hub's environment.
 */
public final class WezTermWaker extends RemoteTerminalWaker {
    public static final String ROUTE = "wezterm";
    private final String binary;

    public WezTermWaker(CommandRunner runner, ProcessInspector processes, Foreground foreground, String binary) {
        super(ROUTE, runner, processes, foreground);
        this.binary = binary;
    }

    public WezTermWaker(CommandRunner runner, ProcessInspector processes, String binary) {
        this(runner, processes, Foreground.system(), binary);
    }

    public WezTermWaker() {
        this(CommandRunner.system(), new ProcessInspector(), binary("wezterm"));
    }

    @Override
    Address address(TerminalTarget target) {
        if (binary == null) return Address.none("wezterm is not installed (not on PATH)");
        String pane = "wezterm".equals(target.terminal().kind()) && target.terminal().pane() != null
                ? target.terminal().pane() : target.env(AgentEnv.WEZTERM_PANE);
        if (pane == null || !pane.matches("\\d{1,9}")) return Address.none("no WezTerm pane id recorded for the agent");
        return new Address(List.of(binary, "cli"), pane, null);
    }

    @Override
    List<String> sendText(Address a, String text, Composer composer) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("send-text", "--pane-id", a.pane()));
        if (!composer.paste()) argv.add("--no-paste");
        argv.addAll(List.of("--", text));
        return argv;
    }

    @Override
    List<String> sendEnter(Address a) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("send-text", "--pane-id", a.pane(), "--no-paste", "--", "\r"));
        return argv;
    }

    @Override
    Optional<String> screenText(Address a) {
        List<String> argv = new ArrayList<>(a.prefix());
        argv.addAll(List.of("get-text", "--pane-id", a.pane()));
        CommandRunner.Result r = runner.run(argv, TIMEOUT);
        return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
    }
}
