package dev.huddle.cli.watch;

import dev.huddle.cli.DiagnoseCommand;
import dev.huddle.cli.ReadCommand;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        void start(CockpitStream.Listener listener);

        /** Called every second: drop a connection that went silent. */
        default void checkAlive() {}

        @Override
        default void close() {}
    }

    private sealed interface Event {}

    private record SnapshotArrived(Snapshot snapshot) implements Event {}

    private record LinkChanged(WatchState.Link link, String detail) implements Event {}

    private record Refused(String message) implements Event {}

    private record KeyPressed(Keys.Key key) implements Event {}

    private record Resized() implements Event {}

    private record Tick() implements Event {}

    private record Run(Runnable action) implements Event {}

    private record Quit() implements Event {}

    private final Terminal terminal;
    private final Source source;
    private final HubActions actions;
    private final boolean color;
    private final ZoneId zone = ZoneId.systemDefault();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WatchState st = new WatchState();
    private Snapshot snapshot = Snapshot.empty();
    private volatile boolean stopped;
    private boolean quit;
    private String fatal;
    private Display display;
    private int cols = 80;
    private int rows = 24;
    private Path traceFile;
    private OutputStream trace;
    private String traced = "";
    private long frames;
    private volatile List<AttributedString> lastFrame = List.of();

    public WatchUi(Terminal terminal, Source source, HubActions actions, boolean color) {
        this.terminal = terminal;
        this.source = source;
        this.actions = actions;
        this.color = color;
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
     * Runs until {@code q}, Ctrl-C or {@link #quit()}; the caller has taken the terminal ({@link TerminalSession}) and
     * restores it. Returns 0, or 1 when the hub refused to show the project (the message is in {@link #fatal()}).
     */
    public int run() throws IOException {
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
            source.start(new CockpitStream.Listener() {
                @Override
                public void snapshot(Snapshot s) {
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

    /** Why the dashboard could not show anything (the hub refused), or null. */
    public String fatal() {
        return fatal;
    }

    public long frames() {
        return frames;
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
        frames++;
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

    private static String newestMessage(Snapshot s) {
        long seq = -1;
        String id = "-";
        for (Snapshot.Project p : s.projects()) {
            if (!p.feed().isEmpty() && p.feed().getLast().seq() > seq) {
                seq = p.feed().getLast().seq();
                id = p.feed().getLast().id();
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
            case KeyPressed k -> key(k.key());
            case Resized r -> resize();
            case Tick t -> source.checkAlive();
            case Run r -> r.action().run();
            case Quit q -> quit = true;
        }
    }

    private void key(Keys.Key k) {
        switch (st.mode()) {
            case COMPOSE -> composeKey(k);
            case OVERLAY -> overlayKey(k);
            case BOARD -> boardKey(k);
        }
    }

    private void boardKey(Keys.Key k) {
        Snapshot.Agent sel = Screen.selectedAgent(snapshot, st);
        if (k.kind() == Keys.Kind.CTRL_C || k.kind() == Keys.Kind.CTRL_D || k.is('q') || k.is('Q')) {
            quit = true;
        } else if (k.kind() == Keys.Kind.UP || k.is('k')) {
            move(-1);
        } else if (k.kind() == Keys.Kind.DOWN || k.is('j')) {
            move(1);
        } else if (k.kind() == Keys.Kind.HOME || k.is('g')) {
            move(Integer.MIN_VALUE);
        } else if (k.kind() == Keys.Kind.END || k.is('G')) {
            move(Integer.MAX_VALUE);
        } else if (k.kind() == Keys.Kind.PAGE_UP) {
            move(-10);
        } else if (k.kind() == Keys.Kind.PAGE_DOWN) {
            move(10);
        } else if (k.kind() == Keys.Kind.CTRL_L) {
            display.clear();
        } else if (k.is('?') || k.is('h')) {
            st.overlay(new WatchState.Overlay("help", help(), 0));
        } else if (k.is('d')) {
            st.notice("asking the hub for its diagnosis…", false, Instant.now());
            background("diagnose", () -> {
                String text = DiagnoseCommand.render(actions.diagnose());
                return () -> st.notice(null, false, null).overlay(new WatchState.Overlay("huddle diagnose (last 24 h)", lines(text), 0));
            });
        } else if (sel == null && (k.is('s') || k.is('n') || k.is('r') || k.is('t') || k.kind() == Keys.Kind.ENTER)) {
            st.notice("no agent selected", true, Instant.now());
        } else if (k.is('s') || k.kind() == Keys.Kind.ENTER) {
            st.compose(sel, "");
        } else if (k.is('n')) {
            st.notice("nudging " + sel.shortName() + "…", false, Instant.now());
            background("nudge", () -> {
                Map<String, Object> r = actions.nudge(sel);
                return () -> st.notice("nudged " + sel.shortName() + " (message " + firstId(r) + "): it reads it at its next turn"
                        + (sel.online() ? "" : "; it is offline, so the nudge waits"), false, Instant.now());
            });
        } else if (k.is('r')) {
            st.notice("reading " + sel.shortName() + "'s transcript…", false, Instant.now());
            background("read", () -> {
                String text = ReadCommand.render(actions.read(sel), false);
                List<AttributedString> lines = lines(text);
                WatchState.Overlay o = new WatchState.Overlay("transcript of " + sel.label() + " (newest last)", lines, Integer.MAX_VALUE);
                return () -> st.notice(null, false, null).overlay(o);
            });
        } else if (k.is('t')) {
            jump(sel);
        }
    }

    private void composeKey(Keys.Key k) {
        switch (k.kind()) {
            case ESCAPE, CTRL_C -> st.board();
            case ENTER -> {
                Snapshot.Agent to = st.composeTo;
                String body = st.input().strip();
                st.board();
                if (body.isEmpty() || to == null) return;
                st.notice("sending to " + to.shortName() + "…", false, Instant.now());
                background("send", () -> {
                    Map<String, Object> r = actions.send(to, body);
                    return () -> st.notice("sent to " + to.shortName() + " (message " + firstId(r) + ")"
                            + (to.online() ? "" : ": offline, queued until it returns"), false, Instant.now());
                });
            }
            case BACKSPACE -> {
                if (!st.input.isEmpty()) st.input.setLength(st.input.offsetByCodePoints(st.input.length(), -1));
            }
            case CTRL_U -> st.input.setLength(0);
            case CTRL_W -> {
                String s = st.input.toString().stripTrailing();
                int cut = s.lastIndexOf(' ') + 1;
                st.input.setLength(cut);
            }
            case TAB -> st.input.append(' ');
            case CHAR -> {
                if (st.input.length() < 8192) st.input.appendCodePoint(k.ch());
            }
            default -> { }
        }
    }

    private void overlayKey(Keys.Key k) {
        WatchState.Overlay o = st.overlay();
        int total = Screen.overlayLines(o, cols);
        int page = Math.max(1, rows - 4);
        int max = Math.max(0, total - (rows - 3));
        int at = Math.min(o.scroll(), max);
        if (k.kind() == Keys.Kind.ESCAPE || k.is('q') || k.kind() == Keys.Kind.CTRL_C) {
            st.board();
            return;
        }
        int to = switch (k.kind()) {
            case UP -> at - 1;
            case DOWN, ENTER -> at + 1;
            case PAGE_UP -> at - page;
            case PAGE_DOWN -> at + page;
            case HOME -> 0;
            case END -> max;
            case CHAR -> k.is('k') ? at - 1 : k.is('j') ? at + 1 : k.is(' ') ? at + page : k.is('b') ? at - page
                    : k.is('g') ? 0 : k.is('G') ? max : at;
            default -> at;
        };
        st.overlay(o.withScroll(Math.max(0, Math.min(max, to))));
    }

    private void move(int delta) {
        List<Snapshot.Agent> agents = snapshot.agents();
        if (agents.isEmpty()) return;
        Snapshot.Agent sel = Screen.selectedAgent(snapshot, st);
        int i = agents.indexOf(sel);
        long next = delta == Integer.MIN_VALUE ? 0 : delta == Integer.MAX_VALUE ? agents.size() - 1 : (long) i + delta;
        st.select(agents.get((int) Math.max(0, Math.min(agents.size() - 1, next))).handle());
    }

    /** {@code t}: to the agent's tmux pane (only one the process tree proved), or what to type to get there. */
    private void jump(Snapshot.Agent a) {
        Snapshot.TerminalRef pane = a.tmuxPane();
        if (pane == null) {
            st.notice(a.shortName() + " runs in no tmux pane huddle could prove" + (a.terminal() == null ? "" : " (" + a.terminal().label() + ")"),
                    true, Instant.now());
            return;
        }
        String attach = "tmux attach -t " + (pane.session() == null ? pane.pane() : pane.session()) + " \\; select-window -t " + pane.pane()
                + " \\; select-pane -t " + pane.pane();
        String tmuxEnv = System.getenv("TMUX");
        if (tmuxEnv == null || tmuxEnv.isEmpty()) {
            st.notice("not inside tmux: run  " + attach, false, Instant.now());
            return;
        }
        background("jump", () -> {
            Process p = new ProcessBuilder("tmux", "switch-client", "-t", pane.pane(), ";", "select-window", "-t", pane.pane(), ";",
                    "select-pane", "-t", pane.pane()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean ok = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
            return () -> st.notice(ok ? "switched to " + a.shortName() + "'s pane " + pane.label()
                    : "tmux could not switch (" + (out.isEmpty() ? "another tmux server?" : out) + "); run  " + attach, !ok, Instant.now());
        });
    }

    @FunctionalInterface
    private interface Job {
        Runnable call() throws Exception;
    }

    /** Runs a hub request off the UI thread; its outcome comes back as an event. */
    private void background(String what, Job job) {
        Thread.ofVirtual().name("huddle-watch-" + what).start(() -> {
            Runnable done;
            try {
                done = job.call();
            } catch (HubActions.Refused e) {
                done = () -> st.notice(what + " refused: " + e.getMessage(), true, Instant.now());
            } catch (Exception e) {
                done = () -> st.notice(what + " failed: " + e.getMessage(), true, Instant.now());
            }
            post(done);
        });
    }

    private static String firstId(Map<String, Object> sendResult) {
        if (sendResult.get("messages") instanceof List<?> l && !l.isEmpty() && l.getFirst() instanceof Map<?, ?> m) {
            return String.valueOf(m.get("message_id"));
        }
        return "?";
    }

    /** Text from the hub (a transcript: anything an agent wrote) as overlay lines, cleaned of terminal controls. */
    static List<AttributedString> lines(String text) {
        List<AttributedString> out = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            String clean = Text.clean(l.replace("\t", "    "));
            out.add(clean.startsWith("── ") ? new AttributedString(clean, AttributedStyle.BOLD) : new AttributedString(clean));
        }
        while (!out.isEmpty() && out.getLast().length() == 0) out.removeLast();
        return out;
    }

    static List<AttributedString> help() {
        return lines("""
                Keys
                  ↑ ↓  j k     select an agent (also PgUp PgDn, Home End, g G)
                  s, Enter     write to the selected agent: Enter sends, Esc cancels; it
                               arrives from the operator, as with huddle send
                  n            nudge it: a message asking it to check its messages and open
                               work; it is woken when the wake policy allows (never typed
                               into while it is busy)
                  r            read its transcript: newest messages and tool calls
                  t            jump to its tmux pane (inside tmux), or show the command
                  d            huddle diagnose: hooks, transcripts, terminals, wakes
                  ?            this help;  Ctrl-L redraws;  q or Ctrl-C quits

                Columns
                  STATE        busy or idle and for how long (from its hooks); online when
                               unknown; offline and for how long
                  UNREAD       messages it has not read yet
                  ASK          its ask_peer questions still unanswered
                  OBL          work it was given (action_required) and has not closed
                  WAITS FOR    whom it waits for (wide terminals)
                  LAST TOOL    its newest tool call, from its transcript, and its age

                Marks
                  >            the selected agent
                  !            on a wait cycle (deadlock: A waits for B waits for A), red
                               with colour; also stranded mail and stale work

                The hub pushes every change; ages and the clock tick locally each
                second. NO_COLOR=1 (or --no-color) turns colours off.""");
    }
}
