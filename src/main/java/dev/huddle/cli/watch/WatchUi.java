package dev.huddle.cli.watch;

import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.ProjectStatus;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's loop. One thread (the caller's) owns the state and the screen; everything else posts events to it:
 * the hub stream (a snapshot, the link going down or up), the key reader, the terminal (SIGWINCH), a one-second clock
 * tick (ages and the clock are computed locally; the hub is never polled), and finished hub requests. After each batch
 * of events the frame is drawn again; JLine's {@link Display} writes only what changed.
 */
public final class WatchUi {
    /** Where snapshots come from: the hub stream, or a fixed one in tests. */
    public interface Source extends AutoCloseable {
        void start(Listener listener);

        /** Called every second: drop a connection that went silent. */
        default void checkAlive() {}

        @Override
        default void close() {}
    }

    /** What a source reports, from its own thread. */
    public interface Listener {
        void snapshot(CockpitSnapshot s);

        void link(WatchState.Link link, String detail);

        /** The hub refused the first request (a bad project, say): the dashboard cannot show anything. */
        void refused(String message);
    }

    private sealed interface Event {}

    private record SnapshotArrived(CockpitSnapshot snapshot) implements Event {}

    private record LinkChanged(WatchState.Link link, String detail) implements Event {}

    private record Refused(String message) implements Event {}

    private record KeyPressed(Keys.Key key) implements Event {}

    private record Resized() implements Event {}

    private record Tick() implements Event {}

    private record Run(Runnable action) implements Event {}

    private record Quit() implements Event {}

    private final Terminal terminal;
    private final Source source;
    private final KeyActions keys;
    private final boolean color;
    private final ZoneId zone = ZoneId.systemDefault();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WatchState st = new WatchState();
    private CockpitSnapshot snapshot = CockpitSnapshot.empty();
    private volatile boolean stopped;
    private boolean quit;
    private String fatal;
    private Display display;
    private int cols = 80;
    private int rows = 24;
    private Path traceFile;
    private OutputStream trace;
    private String traced = "";
    private volatile List<AttributedString> lastFrame = List.of();

    public WatchUi(Terminal terminal, Source source, HubActions actions, boolean color) {
        this.terminal = terminal;
        this.source = source;
        this.color = color;
        this.keys = new KeyActions(st, actions, new KeyActions.Ui() {
            @Override
            public CockpitSnapshot snapshot() {
                return snapshot;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public int rows() {
                return rows;
            }

            @Override
            public void clearScreen() {
                display.clear();
            }

            @Override
            public void quit() {
                quit = true;
            }

            @Override
            public void post(Runnable action) {
                WatchUi.this.post(action);
            }
        });
    }

    /**
     * Appends a line {@code <epoch µs> <generation> <newest message id>} to {@code file} each time a frame showing a new
     * snapshot has been written to the terminal: how {@code huddle bench} measures event → visible.
     */
    public WatchUi traceFrames(Path file) {
        this.traceFile = file;
        return this;
    }

    /** A line under the board (the demo's progress); null removes it. Thread-safe. */
    public void banner(String text) {
        post(() -> st.banner(text));
    }

    /** A transient message in the key line. Thread-safe. */
    public void notice(String text, boolean error) {
        post(() -> st.notice(text, error, Instant.now()));
    }

    /** Ends the loop (as {@code q} does). Thread-safe. */
    public void quit() {
        events.add(new Quit());
    }

    /** Runs {@code action} on the UI thread. */
    void post(Runnable action) {
        events.add(new Run(action));
    }

    /**
     * Runs on the terminal, which it takes ({@link TerminalSession}) and always gives back (raw mode off, alternate
     * screen left, cursor shown), also when the loop throws. Returns null, or why the hub refused.
     *
     * @param system the terminal is this process's own (stdout): then a shutdown hook restores it too
     */
    public String runInSession(boolean system) throws IOException {
        try (TerminalSession ignored = TerminalSession.enter(terminal, system)) {
            return run() == 0 ? null : fatal;
        }
    }

    /**
     * Runs until {@code q}, Ctrl-C or {@link #quit()}; the caller has taken the terminal ({@link TerminalSession}) and
     * restores it. Returns 0, or 1 when the hub refused to show the project (the message is in {@link #fatal}).
     */
    private int run() throws IOException {
        Terminal.SignalHandler oldWinch = terminal.handle(Terminal.Signal.WINCH, s -> events.add(new Resized()));
        Terminal.SignalHandler oldInt = terminal.handle(Terminal.Signal.INT, s -> events.add(new KeyPressed(new Keys.Key(Keys.Kind.CTRL_C, 0))));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "huddle-watch-tick");
            t.setDaemon(true);
            return t;
        });
        Thread keys = Thread.ofPlatform().daemon().name("huddle-watch-keys").start(this::readKeys);
        try {
            if (traceFile != null) {
                trace = Files.newOutputStream(traceFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            long toNextSecond = 1000 - System.currentTimeMillis() % 1000;
            ticker.scheduleAtFixedRate(() -> events.add(new Tick()), toNextSecond, 1000, TimeUnit.MILLISECONDS);
            display = new Display(terminal, true);
            resize();
            source.start(new Listener() {
                @Override
                public void snapshot(CockpitSnapshot s) {
                    events.add(new SnapshotArrived(s));
                }

                @Override
                public void link(WatchState.Link link, String detail) {
                    events.add(new LinkChanged(link, detail));
                }

                @Override
                public void refused(String message) {
                    events.add(new Refused(message));
                }
            });
            draw();
            while (!quit && fatal == null) {
                Event e = events.take();
                handle(e);
                while (!quit && fatal == null && (e = events.poll()) != null) handle(e);
                if (!quit && fatal == null) draw();
            }
            return fatal == null ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            stopped = true;
            ticker.shutdownNow();
            source.close();
            terminal.handle(Terminal.Signal.WINCH, oldWinch);
            terminal.handle(Terminal.Signal.INT, oldInt);
            keys.interrupt();
            if (trace != null) trace.close();
        }
    }

    /** The frame drawn last, as plain text (tests read the screen here rather than parse escape sequences). */
    String screenText() {
        return Screen.plain(lastFrame);
    }

    private void readKeys() {
        try {
            while (!stopped) {
                Keys.Key k = Keys.next(terminal.reader()::read, 250);
                if (k != null) events.add(new KeyPressed(k));
            }
        } catch (EOFException eof) {
            if (!stopped) events.add(new Quit()); // the terminal went away
        } catch (IOException | RuntimeException e) {
            if (!stopped) events.add(new Quit());
        }
    }

    private void resize() {
        Size size = terminal.getSize();
        cols = size.getColumns() > 0 ? size.getColumns() : 80;
        rows = size.getRows() > 0 ? size.getRows() : 24;
        display.clear();
        display.resize(rows, cols);
    }

    private void draw() throws IOException {
        Instant now = Instant.now();
        List<AttributedString> frame = Screen.render(snapshot, st, now, zone, cols, rows, color);
        display.update(frame, 0);
        terminal.flush();
        lastFrame = frame;
        if (trace != null) {
            String key = snapshot.generation() + " " + newestMessage(snapshot);
            if (!key.equals(traced)) {
                traced = key;
                Instant drawn = Instant.now();
                long micros = ChronoUnit.MICROS.between(Instant.EPOCH, drawn);
                trace.write((micros + " " + key + "\n").getBytes(StandardCharsets.UTF_8));
                trace.flush();
            }
        }
    }

    private static String newestMessage(CockpitSnapshot s) {
        long seq = -1;
        String id = "-";
        for (ProjectStatus p : s.projects()) {
            var feed = p.feedOrNone();
            if (!feed.isEmpty() && feed.getLast().seq() > seq) {
                seq = feed.getLast().seq();
                id = feed.getLast().id();
            }
        }
        return id;
    }

    // ---------------------------------------------------------------- events

    private void handle(Event e) {
        switch (e) {
            case SnapshotArrived s -> snapshot = s.snapshot();
            case LinkChanged l -> {
                if (l.link() != st.link) st.link(l.link(), Instant.now(), l.detail());
            }
            case Refused r -> fatal = r.message();
            case KeyPressed k -> keys.key(k.key());
            case Resized r -> resize();
            case Tick t -> source.checkAlive();
            case Run r -> r.action().run();
            case Quit q -> quit = true;
        }
    }
}
