package dev.huddle.terminal;

import dev.huddle.core.wake.WakeStatus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shared steps of the terminals that cannot prove their pane from the process tree the way tmux can
 * (WezTerm, kitty, GNU screen): they are addressed by what the agent's environment reported. What they do verify:
 * the agent process is alive with its recorded start time, it owns its terminal's keyboard ({@link Foreground}: its
 * process group is the foreground group of its controlling terminal; checked again right before the text and before
 * Enter), the terminal answers for that pane, and the pane's screen text shows an empty input line before typing. They cannot prove the pane hosts the agent, so a wake that typed is
 * always {@code fired_unconfirmed}.
 */
abstract sealed class RemoteTerminalWaker implements TerminalWaker permits WezTermWaker, KittyWaker, ScreenWaker {
    /** The least gap between the text and Enter (the composer may ask for more): these terminals cannot verify the pane. */
    static final Duration MIN_GAP = Duration.ofMillis(150);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    final CommandRunner runner;
    final ProcessInspector processes;
    private final Foreground foreground;
    private final String route;

    RemoteTerminalWaker(String route, CommandRunner runner, ProcessInspector processes, Foreground foreground) {
        this.route = route;
        this.runner = runner;
        this.processes = processes;
        this.foreground = foreground;
    }

    /** The command prefix that addresses the pane, or a reason why there is none. */
    record Address(List<String> prefix, String pane, String noRoute) {
        static Address none(String why) {
            return new Address(null, null, why);
        }
    }

    abstract Address address(TerminalTarget target);

    abstract List<String> sendText(Address a, String text, Composer composer);

    abstract List<String> sendEnter(Address a);

    /** The pane's screen text, or empty if the terminal cannot show it. */
    abstract Optional<String> screenText(Address a);

    /** A check that this terminal's process tree can still make (screen: the session server is an ancestor). */
    Optional<String> refuseProcessTree(TerminalTarget target, Address a) {
        return Optional.empty();
    }

    @Override
    public final WakeAttempt wake(TerminalTarget target, String rawText) {
        WakeClock clock = new WakeClock(route);
        String text = WakeText.sanitize(rawText);
        if (text.isEmpty()) return clock.done(WakeStatus.FAILED, "the wake text is empty once sanitised");
        Address a = address(target);
        if (a.noRoute() != null) return clock.done(WakeStatus.SKIPPED_NO_ROUTE, a.noRoute());
        clock.pane = a.pane();
        if (!processes.isAlive(target.agent())) {
            return clock.done(WakeStatus.SKIPPED_WRONG_PANE, "agent process " + target.agent().pid() + " is gone (or its pid was reused)");
        }
        Optional<String> refused = refuseProcessTree(target, a);
        if (refused.isPresent()) return clock.done(WakeStatus.SKIPPED_WRONG_PANE, refused.get());
        clock.phase("resolve");
        Optional<String> notForeground = foreground.refusal(target.agent(), null);
        clock.phase("foreground");
        if (notForeground.isPresent()) return clock.done(WakeStatus.SKIPPED_NOT_FOREGROUND, notForeground.get());
        Optional<String> screen = screenText(a);
        if (screen.isEmpty()) return clock.done(WakeStatus.SKIPPED_NO_ROUTE, route + " did not show pane " + a.pane() + "'s screen: cannot rule out a draft");
        Optional<InputLine.Draft> draft = findDraft(target.composer(), screen.get());
        clock.phase("draft_check");
        if (draft.isEmpty()) return clock.done(WakeStatus.SKIPPED_HUMAN_TYPING, "no empty input line recognised in " + route + " pane " + a.pane());
        if (!draft.get().empty()) {
            return clock.done(WakeStatus.SKIPPED_HUMAN_TYPING, "the input line of " + route + " pane " + a.pane() + " holds a "
                    + draft.get().text().length() + "-character draft");
        }
        notForeground = foreground.refusal(target.agent(), null);
        if (notForeground.isPresent()) return clock.done(WakeStatus.SKIPPED_NOT_FOREGROUND, notForeground.get() + " (before typing)");
        CommandRunner.Result typed = runner.run(sendText(a, text, target.composer()), TIMEOUT);
        clock.phase("type");
        if (!typed.ok()) return clock.done(WakeStatus.FAILED, route + " could not type into pane " + a.pane() + ": " + typed.brief());
        TmuxWaker.sleep(max(target.composer().enterGap(), MIN_GAP));
        clock.phase("gap");
        notForeground = foreground.refusal(target.agent(), null);
        if (notForeground.isPresent()) {
            return clock.done(WakeStatus.SKIPPED_NOT_FOREGROUND, notForeground.get() + " (after the text was typed; Enter withheld)");
        }
        clock.enters++;
        CommandRunner.Result enter = runner.run(sendEnter(a), TIMEOUT);
        clock.phase("enter");
        if (!enter.ok()) return clock.done(WakeStatus.FAILED, route + " could not press Enter in pane " + a.pane() + ": " + enter.brief());
        TmuxWaker.sleep(Duration.ofMillis(100));
        Optional<InputLine.Draft> after = screenText(a).flatMap(s -> findDraft(target.composer(), s));
        clock.phase("verify");
        String seen = after.isEmpty() ? "the input line could not be read back"
                : InputLine.stillHolds(after.get(), text) ? "the text still shows on the input line" : "the input line looks submitted";
        return clock.done(WakeStatus.FIRED_UNCONFIRMED, "typed into " + route + " pane " + a.pane()
                + " (pane reported by the agent's environment, not proven by the process tree); " + seen);
    }

    /** Without a cursor position, the last non-blank row stands in for the cursor line. */
    static Optional<InputLine.Draft> findDraft(Composer composer, String screen) {
        List<String> rows = screen.lines().toList();
        int y = rows.size() - 1;
        while (y >= 0 && rows.get(y).isBlank()) y--;
        int x = y < 0 ? 0 : rows.get(y).length() + (rows.get(y).endsWith(" ") ? 0 : 1);
        return InputLine.find(composer, screen, x, Math.max(y, 0));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static String binary(String name) {
        return TerminalLocator.findOnPath(name);
    }
}
