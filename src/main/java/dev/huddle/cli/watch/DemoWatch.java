package dev.huddle.cli.watch;

import dev.huddle.client.HubConnector;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.tools.demo.DemoScenario;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code huddle demo --watch}: the demo runs on its own thread while the dashboard shows its private hub on the
 * terminal, with the demo's current step in a banner and the steps paced for a human. The demo's own report is held
 * back while the dashboard owns the screen and printed when it closes. When the script is over the dashboard stays
 * until {@code q}; then the demo cleans up (which stops its hub). Without a terminal (stdin or stdout redirected) the
 * demo runs as usual and prints the dashboard's last frame (as {@code huddle watch --once}) before cleaning up.
 */
public final class DemoWatch implements DemoScenario.Progress {
    /** The pause before each step while the dashboard is up, so each change can be seen. */
    static final long STEP_PAUSE_MS = 1_500;
    private static final long MAX_OBLIGATION_AGE_MS = StatusReport.DEFAULT_MAX_OBLIGATION_AGE_MS;

    private final boolean interactive;
    private final boolean color;
    private final PrintWriter demoOut;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile HubConnector connector;
    private volatile Path project;
    private volatile WatchUi ui;
    private volatile boolean watching;
    private volatile String banner = "demo: starting";

    private DemoWatch(boolean interactive, boolean color, PrintWriter demoOut) {
        this.interactive = interactive;
        this.color = color;
        this.demoOut = demoOut;
    }

    /**
     * Runs the demo {@code scenario} makes (given the writer its report goes to) with the dashboard; returns the demo's
     * exit code.
     */
    public static int run(Function<PrintWriter, DemoScenario> scenario, PrintWriter out, boolean color) {
        boolean interactive = System.console() != null && System.console().isTerminal();
        HoldingWriter sink = new HoldingWriter(out);
        PrintWriter demoOut = new PrintWriter(sink, true);
        DemoWatch dw = new DemoWatch(interactive, color, demoOut);
        DemoScenario demo = scenario.apply(demoOut).progress(dw);
        AtomicInteger code = new AtomicInteger(1);
        Thread thread = Thread.ofPlatform().name("huddle-demo").start(() -> code.set(demo.run()));
        try {
            if (interactive) {
                while (!dw.ready.await(100, TimeUnit.MILLISECONDS) && thread.isAlive()) {
                    // the demo creates its workspace and starts its hub
                }
                if (dw.connector != null && thread.isAlive()) {
                    dw.watching = true;
                    sink.hold();
                    try {
                        dw.dashboard();
                    } catch (IOException | RuntimeException e) {
                        demoOut.println("huddle demo: the dashboard failed: " + e);
                    } finally {
                        dw.watching = false;
                        dw.closed.countDown();
                        sink.release();
                    }
                }
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        demoOut.flush();
        return code.get();
    }

    private void dashboard() throws IOException {
        Logger.getLogger("org.jline").setLevel(Level.OFF);
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true).build()) {
            Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
            boolean c = color && colours != null && colours >= 8;
            String cwd = project.toString();
            CockpitStream stream = new CockpitStream(connector, cwd, new ControlRequest.CockpitWatch(cwd, false, MAX_OBLIGATION_AGE_MS), false);
            WatchUi w = new WatchUi(terminal, stream, new HubActions(connector, cwd), c);
            w.banner(banner);
            ui = w;
            w.runInSession(true);
        } finally {
            ui = null;
        }
    }

    @Override
    public void hubReady(HubConnector connector, Path project) {
        this.connector = connector;
        this.project = project;
        ready.countDown();
    }

    @Override
    public void step(int n, int total, String title) {
        banner = "demo step " + n + "/" + total + ": " + title;
        WatchUi w = ui;
        if (w == null) return;
        w.banner(banner);
        if (watching) sleep(STEP_PAUSE_MS);
    }

    @Override
    public void scriptDone(boolean ok, String summary) {
        if (connector == null) return;
        if (!interactive) {
            printFrame();
            return;
        }
        WatchUi w = ui;
        if (w == null || !watching) return;
        w.banner((ok ? "demo passed" : summary) + ": press q to quit (the demo then stops its hub and cleans up)");
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Without a terminal: the dashboard's frame of the demo's project, as {@code huddle watch --once} prints it. */
    private void printFrame() {
        try {
            String cwd = project.toString();
            CockpitSnapshot s = new HubActions(connector, cwd).cockpit(new ControlRequest.Cockpit(cwd, false, MAX_OBLIGATION_AGE_MS));
            Instant now = Instant.now();
            WatchState st = new WatchState().link(WatchState.Link.LIVE, now, null);
            demoOut.println();
            demoOut.println("huddle watch --once on the demo's project (run the demo on a terminal to see it live):");
            demoOut.print(Screen.plain(Screen.render(s, st, now, ZoneId.systemDefault(), 100, 30, false)));
            demoOut.println();
        } catch (IOException | RuntimeException e) {
            demoOut.println("huddle demo: could not draw the dashboard: " + e.getMessage());
        }
        demoOut.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes text through, or holds it while the dashboard owns the screen. */
    static final class HoldingWriter extends Writer {
        private final Writer target;
        private final StringBuilder held = new StringBuilder();
        private boolean holding;

        HoldingWriter(Writer target) {
            this.target = target;
        }

        synchronized void hold() {
            holding = true;
        }

        synchronized void release() {
            holding = false;
            try {
                target.write(held.toString());
                target.flush();
            } catch (IOException ignored) {
                // stdout is gone
            }
            held.setLength(0);
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) throws IOException {
            if (holding) held.append(buf, off, len);
            else target.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!holding) target.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
