package dev.huddle.cli.watch;

import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one frame of {@code huddle watch}: a pure function of the hub's snapshot, the dashboard's state, the time and
 * the terminal's size. It returns exactly {@code height} lines, none wider than {@code width} columns:
 *
 * <pre>
 * header       project · agents online · health                      live 14:02:07
 * agents       one row per agent: name, client, busy/idle/offline and for how long, unread, open asks and
 *              obligations, latest tool call (wider terminals add whom it waits for and its purpose)
 * detail       the selected agent: purpose, latest tool call, terminal, claims
 * waits        who waits for whom and how long; cycles (deadlocks) marked ! and red; stranded mail, stale work
 * messages     the newest messages, newest last
 * key line     keys, or a notice, or the line being typed
 * </pre>
 *
 * An overlay (transcript, diagnosis, help) replaces everything between header and key line. Without colour no escape
 * sequence is produced at all (NO_COLOR): the selection is the {@code >} marker, cycles are the {@code !} marker.
 */
public final class Screen {
    static final Duration NOTICE_FOR = Duration.ofSeconds(6);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final CockpitSnapshot snap;
    private final WatchState st;
    private final Instant now;
    private final ZoneId zone;
    private final int height;
    private final Canvas c;

    private Screen(CockpitSnapshot snap, WatchState st, Instant now, ZoneId zone, int width, int height, boolean color) {
        this.snap = snap == null ? CockpitSnapshot.empty() : snap;
        this.st = st;
        this.now = now;
        this.zone = zone;
        this.height = Math.max(3, height);
        this.c = new Canvas(Math.max(20, width), color ? Canvas.Palette.COLOR : Canvas.Palette.PLAIN);
    }

    /** One frame: exactly {@code height} lines of at most {@code width} columns. */
    public static List<AttributedString> render(CockpitSnapshot snap, WatchState st, Instant now, ZoneId zone, int width, int height,
                                                boolean color) {
        return new Screen(snap, st, now, zone, width, height, color).frame();
    }

    /** The frame as plain text (no styles), lines joined by newlines, trailing blanks stripped: what tests compare. */
    public static String plain(List<AttributedString> frame) {
        StringBuilder b = new StringBuilder();
        for (AttributedString l : frame) b.append(l.toString().stripTrailing()).append('\n');
        return b.toString();
    }

    /** The frame with ANSI escapes (when it was rendered with colour), one line each: what {@code --once} prints. */
    public static String ansi(List<AttributedString> frame) {
        StringBuilder b = new StringBuilder();
        for (AttributedString l : frame) b.append(l.toAnsi()).append('\n');
        return b.toString();
    }

    private List<AttributedString> frame() {
        List<AttributedString> out = new ArrayList<>(height);
        out.add(header());
        boolean bannerRow = st.banner != null && height - 2 > 6;
        int body = height - 2 - (bannerRow ? 1 : 0);
        if (st.mode == WatchState.Mode.OVERLAY && st.overlay != null) {
            overlay(out, body);
        } else {
            new Board(snap, st, now, zone, c).draw(out, body);
        }
        while (out.size() < 1 + body) out.add(AttributedString.EMPTY);
        if (bannerRow) out.add(c.line(c.pal.banner(), " " + Text.clean(st.banner)));
        out.add(keyLine());
        return out;
    }

    private AttributedString header() {
        String right = switch (st.link) {
            case LIVE -> "live " + CLOCK.format(now.atZone(zone));
            case CONNECTING -> "connecting… " + CLOCK.format(now.atZone(zone));
            case DOWN -> "hub unreachable, reconnecting"
                    + (st.linkSince == null ? "" : " (" + Text.age(Text.seconds(st.linkSince, now)) + ")") + " " + CLOCK.format(now.atZone(zone));
        };
        AttributedStyle rs = st.link == WatchState.Link.DOWN ? c.pal.redBold() : c.pal.dim();
        String project;
        if (snap.projects().size() == 1) project = Text.clean(Board.projectName(snap.projects().getFirst().projectRoot()));
        else if (snap.generation() < 0) project = "waiting for the hub";
        else project = snap.projects().size() + " projects";
        int n = snap.agentCount();
        int online = 0;
        for (AgentStatus a : snap.agents()) if (a.online()) online++;
        String counts = snap.generation() < 0 ? "" : " · " + n + (n == 1 ? " agent" : " agents") + ", " + online + " online · ";
        String health = snap.generation() < 0 ? "" : snap.problems().isEmpty() ? "healthy"
                : Text.clean(String.join(", ", snap.problems().stream().map(p -> p.replace('_', ' ')).toList()));
        // a long project name is what gets cut, not the counts or the health
        int room = c.width - Text.cols(right) - 1 - Text.cols("huddle watch · ") - Text.cols(counts) - Text.cols(health);
        if (room < Math.min(8, Text.cols(project)) && snap.problems().size() > 1) { // the first problem and how many more
            health = Text.clean(snap.problems().getFirst().replace('_', ' ')) + " +" + (snap.problems().size() - 1);
            room = c.width - Text.cols(right) - 1 - Text.cols("huddle watch · ") - Text.cols(counts) - Text.cols(health);
        }
        if (room < Text.cols(project)) project = Text.fit(project, Math.max(8, room));
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(c.pal.title()).append("huddle watch");
        b.style(c.pal.plain()).append(" · ");
        b.style(snap.generation() < 0 ? c.pal.dim() : c.pal.bold()).append(project);
        b.style(c.pal.plain()).append(counts);
        b.style(snap.problems().isEmpty() ? c.pal.green() : c.pal.redBold()).append(health);
        return c.leftRight(b.toAttributedString(), new AttributedString(right, rs));
    }


    // ---------------------------------------------------------------- overlay

    private void overlay(List<AttributedString> out, int body) {
        WatchState.Overlay o = st.overlay;
        List<AttributedString> lines = wrap(o.lines(), c.width);
        int room = body - 1;
        int max = Math.max(0, lines.size() - room);
        int scroll = Math.max(0, Math.min(o.scroll(), max));
        String pos = lines.isEmpty() ? "empty" : (scroll + 1) + "-" + Math.min(lines.size(), scroll + room) + " of " + lines.size();
        out.add(c.leftRight(new AttributedString("━━ " + Text.clean(o.title()) + " ", c.pal.title()), new AttributedString(pos, c.pal.dim())));
        for (int i = scroll; i < Math.min(lines.size(), scroll + room); i++) out.add(lines.get(i));
    }

    /** Lines of an overlay once wrapped to {@code width} columns (what scrolling counts). */
    public static int overlayLines(WatchState.Overlay o, int width) {
        return wrap(o.lines(), Math.max(20, width)).size();
    }

    private static List<AttributedString> wrap(List<AttributedString> lines, int width) {
        List<AttributedString> out = new ArrayList<>(lines.size());
        for (AttributedString l : lines) {
            int n = l.columnLength();
            if (n <= width) {
                out.add(l);
                continue;
            }
            for (int at = 0; at < n; at += width) out.add(l.columnSubSequence(at, Math.min(n, at + width)));
        }
        return out;
    }

    // ---------------------------------------------------------------- key line

    private AttributedString keyLine() {
        if (st.mode == WatchState.Mode.COMPOSE && st.composeTo != null) {
            String prompt = " message to " + Text.clean(st.composeTo.shortName()) + ": ";
            String hint = "  Enter send · Esc cancel";
            String text = Text.clean(st.input.toString());
            int room = c.width - Text.cols(prompt) - 1 - Text.cols(hint);
            if (room < 10) {
                hint = "";
                room = c.width - Text.cols(prompt) - 1;
            }
            String shown = text;
            while (Text.cols(shown) > room && !shown.isEmpty()) shown = shown.substring(shown.offsetByCodePoints(0, 1));
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.style(c.pal.bold()).append(prompt).style(c.pal.plain()).append(shown).style(c.pal.cursor()).append(c.pal == Canvas.Palette.PLAIN ? "_" : " ");
            b.style(c.pal.dim()).append(hint);
            return c.cut(b.toAttributedString());
        }
        if (st.notice != null && st.noticeAt != null && Duration.between(st.noticeAt, now).compareTo(NOTICE_FOR) < 0) {
            return c.line(st.noticeError ? c.pal.redBold() : c.pal.green(), " " + Text.clean(st.notice));
        }
        if (st.mode == WatchState.Mode.OVERLAY) {
            return c.line(c.pal.dim(), " ↑↓ PgUp PgDn Home End scroll · Esc or q close");
        }
        String keys = c.width >= 100
                ? " ↑↓ select · s send · n nudge · r read transcript · t jump to pane · d diagnose · ? help · q quit"
                : " ↑↓ select  s send  n nudge  r read  t pane  d diagnose  ? help  q quit";
        return c.line(c.pal.dim(), keys);
    }
}
