package dev.huddle.cli.watch;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard's hold on the terminal: raw mode, the alternate screen, application keypad, hidden cursor. Restoring
 * puts every one of these back exactly once, whichever comes first: {@link #close()} (normal exit and exceptions, from
 * a finally block) or the shutdown hook (SIGTERM, SIGHUP, System.exit from elsewhere). Only SIGKILL leaves the terminal
 * as it was; {@code reset} repairs it then.
 */
public final class TerminalSession implements AutoCloseable {
    private final Terminal terminal;
    private final Attributes saved;
    private final boolean alternateScreen;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook;

    private TerminalSession(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        this.alternateScreen = terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        if (!alternateScreen) terminal.puts(Capability.clear_screen);
        terminal.flush();
        this.hook = new Thread(this::restore, "huddle-watch-restore-terminal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Takes the terminal over for the dashboard. */
    public static TerminalSession enter(Terminal terminal) {
        return new TerminalSession(terminal);
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Puts the terminal back as it was (idempotent, never throws). */
    public void restore() {
        if (!restored.compareAndSet(false, true)) return;
        try {
            terminal.puts(Capability.cursor_normal);
            terminal.puts(Capability.keypad_local);
            if (alternateScreen) terminal.puts(Capability.exit_ca_mode);
            else terminal.puts(Capability.clear_screen);
            terminal.flush();
        } catch (RuntimeException ignored) {
            // the terminal is gone; still try the attributes
        }
        try {
            terminal.setAttributes(saved);
        } catch (RuntimeException ignored) {
            // nothing more to do
        }
    }

    public boolean restored() {
        return restored.get();
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or has run: restore is idempotent
        }
    }
}
