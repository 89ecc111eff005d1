package dev.huddle.cli.watch;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.Curses;
import org.jline.utils.InfoCmp.Capability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard's hold on the terminal: raw mode, the alternate screen, application keypad, hidden cursor. Restoring
 * puts every one of these back exactly once, whichever comes first: {@link #close()} (normal exit and exceptions, from
 * a finally block) or the shutdown hook (SIGTERM, SIGHUP, System.exit from elsewhere). Only SIGKILL leaves the terminal
 * as it was; {@code reset} repairs it then.
 *
 * <p>JLine closes a system terminal from a shutdown hook of its own, and hooks run in no fixed order, so the hook here
 * does not write through the terminal: it writes the prepared escape sequences straight to file descriptor 1 (JLine's
 * close puts the attributes back).
 */
final class TerminalSession implements AutoCloseable {
    private final Terminal terminal;
    private final Attributes saved;
    private final boolean alternateScreen;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final Thread hook;
    /** What restoring writes: cursor shown, keypad back, alternate screen left (or the screen cleared). */
    private final String leave;

    private TerminalSession(Terminal terminal, boolean systemOutput) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        this.alternateScreen = terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        if (!alternateScreen) terminal.puts(Capability.clear_screen);
        terminal.flush();
        this.leave = sequence(Capability.cursor_normal) + sequence(Capability.keypad_local)
                + sequence(alternateScreen ? Capability.exit_ca_mode : Capability.clear_screen);
        this.hook = systemOutput ? new Thread(this::restoreFromHook, "huddle-watch-restore-terminal") : null;
        if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Takes the terminal over for the dashboard. With {@code systemOutput} (the terminal writes to this process's stdout)
     * a shutdown hook restores it on SIGTERM and the like; a terminal of other streams (tests) is restored by close only.
     */
    public static TerminalSession enter(Terminal terminal, boolean systemOutput) {
        return new TerminalSession(terminal, systemOutput);
    }

    private String sequence(Capability c) {
        String s = terminal.getStringCapability(c);
        return s == null ? "" : Curses.tputs(s);
    }

    /** The shutdown hook: straight to stdout, whatever JLine's own hook did to the terminal already. */
    private void restoreFromHook() {
        if (!restored.compareAndSet(false, true)) return;
        try {
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(leave.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // stdout is gone
        }
        try {
            terminal.setAttributes(saved);
        } catch (RuntimeException ignored) {
            // closed by JLine's hook, which restored them
        }
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
        if (hook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or has run: restore is idempotent
        }
    }
}
