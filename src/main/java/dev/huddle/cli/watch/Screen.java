package dev.huddle.cli.watch;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    /** Columns from which the agents table adds whom each agent waits for, and from which it adds the purpose. */
    static final int WAITS_COLUMN_FROM = 100;
    static final int PURPOSE_COLUMN_FROM = 140;
    static final Duration NOTICE_FOR = Duration.ofSeconds(6);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Snapshot snap;
    private final WatchState st;
    private final Instant now;
    private final ZoneId zone;
    private final int width;
    private final int height;
    private final Palette pal;
    /** label → short name (name, else handle), for waits, cycles and the feed. */
    private final Map<String, String> shortNames = new HashMap<>();

    private Screen(Snapshot snap, WatchState st, Instant now, ZoneId zone, int width, int height, boolean color) {
        this.snap = snap == null ? Snapshot.empty() : snap;
        this.st = st;
        this.now = now;
        this.zone = zone;
        this.width = Math.max(20, width);
        this.height = Math.max(3, height);
        this.pal = color ? Palette.COLOR : Palette.PLAIN;
        for (Snapshot.Project p : this.snap.projects()) {
            for (Snapshot.Agent a : p.agents()) shortNames.put(a.label(), a.shortName());
        }
    }

    /** One frame: exactly {@code height} lines of at most {@code width} columns. */
    public static List<AttributedString> render(Snapshot snap, WatchState st, Instant now, ZoneId zone, int width, int height,
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

    /** The agent the dashboard acts on: the selected one, else the first; null when there is none. */
    public static Snapshot.Agent selectedAgent(Snapshot snap, WatchState st) {
        if (snap == null) return null;
        List<Snapshot.Agent> agents = snap.agents();
        if (agents.isEmpty()) return null;
        if (st.selected != null) for (Snapshot.Agent a : agents) if (st.selected.equals(a.handle())) return a;
        return agents.getFirst();
    }

    // ---------------------------------------------------------------- frame

    private List<AttributedString> frame() {
        List<AttributedString> out = new ArrayList<>(height);
        out.add(header());
        boolean bannerRow = st.banner != null && height - 2 > 6;
        int body = height - 2 - (bannerRow ? 1 : 0);
        if (st.mode == WatchState.Mode.OVERLAY && st.overlay != null) {
            overlay(out, body);
        } else {
            board(out, body);
        }
        while (out.size() < 1 + body) out.add(AttributedString.EMPTY);
        if (bannerRow) out.add(line(pal.banner, " " + Text.clean(st.banner)));
        out.add(keyLine());
        return out;
    }

    private AttributedString header() {
        String right = switch (st.link) {
            case LIVE -> "live " + CLOCK.format(now.atZone(zone));
            case CONNECTING -> "connecting… " + CLOCK.format(now.atZone(zone));
            case DOWN -> "hub unreachable, reconnecting"
                    + (st.linkSince == null ? "" : " (" + Text.age(seconds(st.linkSince)) + ")") + " " + CLOCK.format(now.atZone(zone));
        };
        AttributedStyle rs = st.link == WatchState.Link.DOWN ? pal.redBold : pal.dim;
        String project;
        if (snap.projects().size() == 1) project = Text.clean(projectName(snap.projects().getFirst().root()));
        else if (snap.generation() < 0) project = "waiting for the hub";
        else project = snap.projects().size() + " projects";
        int n = snap.agentCount();
        int online = 0;
        for (Snapshot.Agent a : snap.agents()) if (a.online()) online++;
        String counts = snap.generation() < 0 ? "" : " · " + n + (n == 1 ? " agent" : " agents") + ", " + online + " online · ";
        String health = snap.generation() < 0 ? "" : snap.problems().isEmpty() ? "healthy"
                : String.join(", ", snap.problems().stream().map(p -> p.replace('_', ' ')).toList());
        // a long project name is what gets cut, not the counts or the health
        int room = width - Text.cols(right) - 1 - Text.cols("huddle watch · ") - Text.cols(counts) - Text.cols(health);
        if (room < Math.min(8, Text.cols(project)) && snap.problems().size() > 1) { // the first problem and how many more
            health = snap.problems().getFirst().replace('_', ' ') + " +" + (snap.problems().size() - 1);
            room = width - Text.cols(right) - 1 - Text.cols("huddle watch · ") - Text.cols(counts) - Text.cols(health);
        }
        if (room < Text.cols(project)) project = Text.fit(project, Math.max(8, room));
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(pal.title).append("huddle watch");
        b.style(pal.plain).append(" · ");
        b.style(snap.generation() < 0 ? pal.dim : pal.bold).append(project);
        b.style(pal.plain).append(counts);
        b.style(snap.problems().isEmpty() ? pal.green : pal.redBold).append(health);
        return leftRight(b.toAttributedString(), new AttributedString(right, rs));
    }

    private static String projectName(String root) {
        if (root == null) return "?";
        Path p = Path.of(root).getFileName();
        return p == null ? root : p.toString();
    }

    // ---------------------------------------------------------------- board

    private record Row(Snapshot.Agent agent, String projectHeader) {}

    private void board(List<AttributedString> out, int body) {
        List<Row> rows = new ArrayList<>();
        boolean multi = snap.projects().size() > 1;
        for (Snapshot.Project p : snap.projects()) {
            if (multi) rows.add(new Row(null, p.root()));
            for (Snapshot.Agent a : p.agents()) rows.add(new Row(a, null));
        }
        List<AttributedString> waits = waitLines();
        List<Snapshot.FeedItem> feed = feedTail(body);

        int detail = snap.agentCount() == 0 ? 0 : body >= 14 ? 2 : body >= 9 ? 1 : 0;
        int rest = body - detail;
        int agentsNeed = 1 + Math.max(1, rows.size());
        int waitsNeed = 1 + waits.size();
        int feedNeed = 1 + Math.max(1, feed.size());
        int agentsH = Math.min(agentsNeed, Math.max(4, rest * 45 / 100));
        int waitsH = Math.min(waitsNeed, Math.max(Math.min(waitsNeed, 3), (rest - agentsH) * 40 / 100));
        if (agentsH + waitsH > rest) {
            agentsH = Math.min(agentsH, rest);
            waitsH = Math.max(0, rest - agentsH);
        }
        int feedH = rest - agentsH - waitsH;
        if (feedH > feedNeed) { // room left: give it to the agents, then the waits
            int extra = feedH - feedNeed;
            feedH = feedNeed;
            int more = Math.min(extra, agentsNeed - agentsH);
            agentsH += more;
            extra -= more;
            more = Math.min(extra, waitsNeed - waitsH);
            waitsH += more;
        }
        agents(out, rows, agentsH);
        if (detail > 0) detail(out, detail);
        if (waitsH > 0) section(out, waits, waitsH, "waits", waitTitleNote());
        if (feedH > 0) feed(out, feed, feedH);
    }

    private String waitTitleNote() {
        int n = 0;
        for (Snapshot.Project p : snap.projects()) n += p.waits().size();
        return n == 0 ? "" : n + (n == 1 ? " wait" : " waits");
    }

    // ---- agents

    private int nameWidth(List<Row> rows) {
        int max = 5;
        boolean labels = width >= WAITS_COLUMN_FROM;
        for (Row r : rows) {
            if (r.agent == null) continue;
            max = Math.max(max, Text.cols(Text.clean(labels ? r.agent.label() : r.agent.shortName())));
        }
        return Math.min(max, labels ? 28 : 16);
    }

    private void agents(List<AttributedString> out, List<Row> rows, int h) {
        if (h <= 0) return;
        int nameW = nameWidth(rows);
        boolean waitsCol = width >= WAITS_COLUMN_FROM;
        boolean purposeCol = width >= PURPOSE_COLUMN_FROM;
        AttributedStringBuilder hb = new AttributedStringBuilder().style(pal.dim);
        hb.append("  ").append(Text.pad("AGENT", nameW)).append(" ").append(Text.pad("CLIENT", 6)).append(" ")
                .append(Text.pad("STATE", 11)).append(" ").append("UNREAD").append(" ").append("ASK").append(" ").append("OBL");
        if (waitsCol) hb.append(" ").append(Text.pad("WAITS FOR", 18));
        if (purposeCol) hb.append(" ").append(Text.pad("PURPOSE", 32));
        hb.append(" ").append("LAST TOOL");
        List<Row> agentRows = rows;
        int visible = h - 1;
        int selIdx = 0;
        Snapshot.Agent sel = selectedAgent(snap, st);
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).agent != null && rows.get(i).agent == sel) selIdx = i;
        int start = 0;
        if (rows.size() > visible) {
            start = Math.max(0, Math.min(selIdx - visible / 2, rows.size() - visible));
            String range = (start + 1) + "-" + Math.min(rows.size(), start + visible) + " of " + rows.size();
            out.add(leftRight(hb.toAttributedString(), new AttributedString(range, pal.dim)));
        } else {
            out.add(cut(hb.toAttributedString()));
        }
        if (rows.isEmpty() && visible > 0) {
            out.add(line(pal.dim, "  no agents yet: start Claude Code, Codex or Gemini here with huddle set up (huddle setup)"));
            return;
        }
        for (int i = start; i < Math.min(agentRows.size(), start + visible); i++) {
            Row r = agentRows.get(i);
            if (r.agent == null) {
                out.add(line(pal.dim, "  " + Text.clean(projectName(r.projectHeader)) + "  " + Text.clean(r.projectHeader)));
                continue;
            }
            out.add(agentRow(r.agent, r.agent == sel, nameW, waitsCol, purposeCol));
        }
    }

    private AttributedString agentRow(Snapshot.Agent a, boolean selected, int nameW, boolean waitsCol, boolean purposeCol) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        AttributedStyle base = selected ? pal.selected : pal.plain;
        b.style(base).append(selected ? ">" : " ");
        b.style(a.onCycle() && !selected ? pal.redBold : base).append(a.onCycle() ? "!" : " ");
        b.style(selected ? pal.selectedBold : a.onCycle() ? pal.redBold : pal.bold)
                .append(Text.pad(Text.clean(width >= WAITS_COLUMN_FROM ? a.label() : a.shortName()), nameW));
        b.style(base).append(" ").append(Text.pad(client(a.clientType()), 6)).append(" ");
        String state;
        AttributedStyle stateStyle;
        if (!a.online()) {
            state = "offline" + (a.offlineSince() == null ? "" : " " + Text.age(seconds(a.offlineSince())));
            stateStyle = pal.dim;
        } else if ("busy".equals(a.state())) {
            state = "busy" + since(a.activitySince());
            stateStyle = pal.green;
        } else if ("idle".equals(a.state())) {
            state = "idle" + since(a.activitySince());
            stateStyle = pal.yellow;
        } else {
            state = "online";
            stateStyle = pal.plain;
        }
        b.style(selected ? pal.selected : stateStyle).append(Text.pad(state, 11));
        b.style(base).append(" ");
        b.style(a.unread() > 0 ? (selected ? pal.selectedBold : pal.yellowBold) : base).append(Text.padLeft(String.valueOf(a.unread()), 6));
        b.style(base).append(" ").append(Text.padLeft(String.valueOf(a.openAsks()), 3)).append(" ")
                .append(Text.padLeft(String.valueOf(a.openObligations()), 3));
        if (waitsCol) {
            String wf = a.waitsFor().isEmpty() ? "-" : "→ " + String.join(", ", a.waitsFor().stream().map(this::shortName).toList());
            b.style(a.onCycle() && !selected ? pal.red : base).append(" ").append(Text.pad(wf, 18));
        }
        if (purposeCol) b.style(base).append(" ").append(Text.pad(Text.clean(a.purpose() == null ? "-" : a.purpose()), 32));
        b.style(base).append(" ");
        int used = b.columnLength();
        int room = width - used;
        if (room > 0) {
            Snapshot.LastTool t = a.lastTool();
            String tool = t == null ? "-" : toolText(t, room);
            b.style(t != null && t.error() && !selected ? pal.red : base).append(Text.pad(tool, room));
        }
        return cut(b.toAttributedString());
    }

    private String toolText(Snapshot.LastTool t, int room) {
        String age = t.at() == null ? "" : " " + Text.age(seconds(t.at()));
        String text = Text.clean(t.name()) + (t.error() ? " (error)" : "") + " " + Text.clean(t.input() == null ? "" : t.input()).strip();
        return Text.fit(text.strip(), Math.max(1, room - Text.cols(age))) + age;
    }

    private static String client(String type) {
        if (type == null) return "?";
        return switch (type) {
            case "claude-code" -> "claude";
            case "codex" -> "codex";
            case "gemini" -> "gemini";
            default -> "?";
        };
    }

    private String since(Instant t) {
        return t == null ? "" : " " + Text.age(seconds(t));
    }

    private long seconds(Instant t) {
        return t == null ? 0 : Math.max(0, Duration.between(t, now).toSeconds());
    }

    private String shortName(String label) {
        if (label == null) return "?";
        return Text.clean(shortNames.getOrDefault(label, label));
    }

    // ---- detail of the selected agent

    private void detail(List<AttributedString> out, int lines) {
        Snapshot.Agent a = selectedAgent(snap, st);
        if (a == null) return;
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(pal.bold).append(" " + Text.clean(a.label()));
        b.style(pal.dim).append(" · " + (a.clientType() == null ? "unknown" : a.clientType()) + " · ");
        b.style(pal.plain).append(a.purpose() == null ? "no purpose set" : Text.clean(a.purpose()));
        out.add(cut(b.toAttributedString()));
        if (lines < 2) return;
        List<String> parts = new ArrayList<>();
        if (a.terminal() != null) parts.add(Text.clean(a.terminal().label()) + (a.terminal().verified() ? "" : " (unverified)"));
        else parts.add("no terminal known");
        if (a.waitedOnBy() > 0) parts.add("waited on by " + a.waitedOnBy());
        if (a.claims() > 0) parts.add(a.claims() + (a.claims() == 1 ? " claim" : " claims"));
        if (Boolean.TRUE.equals(a.rewakeArmed())) parts.add("rewake armed");
        if (!a.online() && a.unread() > 0) parts.add(a.unread() + " unread, stranded");
        Snapshot.LastTool t = a.lastTool();
        if (t != null) {
            parts.add("last tool" + (t.at() == null ? "" : " " + Text.age(seconds(t.at())) + " ago") + ": " + Text.clean(t.name())
                    + (t.error() ? " (error)" : "") + (t.input() == null ? "" : " " + Text.clean(t.input()).strip()));
        }
        out.add(line(pal.dim, "   " + String.join(" · ", parts)));
    }

    // ---- waits

    private List<AttributedString> waitLines() {
        List<AttributedString> lines = new ArrayList<>();
        for (Snapshot.Project p : snap.projects()) {
            List<Snapshot.Wait> waits = new ArrayList<>(p.waits());
            waits.sort((x, y) -> Boolean.compare(y.onCycle(), x.onCycle())); // cycles first
            for (List<String> c : p.cycles()) {
                if (c.isEmpty()) continue;
                String ring = String.join(" → ", c.stream().map(this::shortName).toList()) + " → " + shortName(c.getFirst());
                lines.add(line(pal.redBold, " ! deadlock: " + ring));
            }
            for (Snapshot.Wait w : waits) {
                List<String> why = new ArrayList<>();
                if (w.asks() > 0) why.add(w.asks() + (w.asks() == 1 ? " ask" : " asks"));
                if (w.obligations() > 0) why.add(w.obligations() + (w.obligations() == 1 ? " obligation" : " obligations"));
                String text = (w.onCycle() ? " ! " : "   ") + Text.padLeft(Text.age(seconds(w.since())), 4) + "  "
                        + shortName(w.from()) + " waits for " + shortName(w.to()) + "  (" + String.join(", ", why)
                        + (w.onCycle() ? ", on a cycle" : "") + ")";
                lines.add(line(w.onCycle() ? pal.red : pal.plain, text));
            }
            for (Snapshot.Stranded s : p.stranded()) {
                lines.add(line(pal.yellow, " ! stranded: " + s.count() + " unread for " + shortName(s.agent()) + " (offline"
                        + (s.offlineSince() == null ? "" : " " + Text.age(seconds(s.offlineSince()))) + "), oldest "
                        + Text.age(seconds(s.oldestAt()))));
            }
            for (Snapshot.StaleObligation s : p.staleObligations()) {
                lines.add(line(pal.yellow, " ! stale work " + Text.clean(s.messageId()) + " open " + Text.age(seconds(s.since())) + ": "
                        + shortName(s.from()) + " → " + shortName(s.to())));
            }
        }
        if (lines.isEmpty()) lines.add(line(pal.dim, "   nobody waits for anybody"));
        return lines;
    }

    private void section(List<AttributedString> out, List<AttributedString> lines, int h, String title, String note) {
        out.add(rule(title, note));
        int room = h - 1;
        if (room <= 0) return;
        if (lines.size() <= room) {
            out.addAll(lines);
            return;
        }
        out.addAll(lines.subList(0, room - 1));
        out.add(line(pal.dim, "   … " + (lines.size() - room + 1) + " more"));
    }

    private AttributedString rule(String title, String note) {
        AttributedStringBuilder b = new AttributedStringBuilder().style(pal.dim).append("━━ ").style(pal.title).append(title);
        if (!note.isEmpty()) b.style(pal.dim).append(" (" + note + ")");
        b.style(pal.dim).append(" ");
        int left = width - b.columnLength();
        if (left > 0) b.append("━".repeat(left));
        return cut(b.toAttributedString());
    }

    // ---- messages

    /** The newest messages that could fit, oldest first; never walks more of the history than the screen can show. */
    private List<Snapshot.FeedItem> feedTail(int max) {
        if (snap.projects().size() == 1) {
            List<Snapshot.FeedItem> f = snap.projects().getFirst().feed();
            return f.subList(Math.max(0, f.size() - max), f.size());
        }
        List<Snapshot.FeedItem> all = new ArrayList<>();
        for (Snapshot.Project p : snap.projects()) {
            List<Snapshot.FeedItem> f = p.feed();
            all.addAll(f.subList(Math.max(0, f.size() - max), f.size()));
        }
        all.sort((x, y) -> Long.compare(x.seq(), y.seq()));
        return all.subList(Math.max(0, all.size() - max), all.size());
    }

    private void feed(List<AttributedString> out, List<Snapshot.FeedItem> feed, int h) {
        int total = 0;
        for (Snapshot.Project p : snap.projects()) total += p.feed().size();
        out.add(rule("messages", total == 0 ? "" : "newest last"));
        int room = h - 1;
        if (room <= 0) return;
        if (feed.isEmpty()) {
            out.add(line(pal.dim, "   no messages yet"));
            return;
        }
        for (Snapshot.FeedItem f : feed.subList(Math.max(0, feed.size() - room), feed.size())) out.add(feedLine(f));
    }

    private AttributedString feedLine(Snapshot.FeedItem f) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(pal.dim).append(f.at() == null ? "--:--:--" : CLOCK.format(f.at().atZone(zone))).append(" ");
        boolean operator = "operator".equals(f.kind());
        b.style(operator ? pal.cyan : pal.bold).append(operator ? "you" : shortName(f.from()));
        b.style(pal.plain).append(" → ");
        b.style(pal.bold).append(shortName(f.to()));
        String mark = switch (f.kind() == null ? "" : f.kind()) {
            case "ask" -> "?";
            case "reply" -> "↩";
            case "work" -> "work " + (f.obligation() == null ? "open" : f.obligation());
            default -> "";
        };
        if (f.delivered() == null) mark = mark.isEmpty() ? "pending" : mark + ", pending";
        if (!mark.isEmpty()) b.style("work open".equals(mark) || mark.startsWith("work open") ? pal.yellow : pal.dim).append(" [" + mark + "]");
        b.style(pal.plain).append(" ").append(Text.firstLine(f.body()));
        return cut(b.toAttributedString());
    }

    // ---------------------------------------------------------------- overlay

    private void overlay(List<AttributedString> out, int body) {
        WatchState.Overlay o = st.overlay;
        List<AttributedString> lines = wrap(o.lines(), width);
        int room = body - 1;
        int max = Math.max(0, lines.size() - room);
        int scroll = Math.max(0, Math.min(o.scroll(), max));
        String pos = lines.isEmpty() ? "empty" : (scroll + 1) + "-" + Math.min(lines.size(), scroll + room) + " of " + lines.size();
        out.add(leftRight(new AttributedString("━━ " + Text.clean(o.title()) + " ", pal.title), new AttributedString(pos, pal.dim)));
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
            int room = width - Text.cols(prompt) - 1 - Text.cols(hint);
            if (room < 10) {
                hint = "";
                room = width - Text.cols(prompt) - 1;
            }
            String shown = text;
            while (Text.cols(shown) > room && !shown.isEmpty()) shown = shown.substring(shown.offsetByCodePoints(0, 1));
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.style(pal.bold).append(prompt).style(pal.plain).append(shown).style(pal.cursor).append(pal == Palette.PLAIN ? "_" : " ");
            b.style(pal.dim).append(hint);
            return cut(b.toAttributedString());
        }
        if (st.notice != null && st.noticeAt != null && Duration.between(st.noticeAt, now).compareTo(NOTICE_FOR) < 0) {
            return line(st.noticeError ? pal.redBold : pal.green, " " + Text.clean(st.notice));
        }
        if (st.mode == WatchState.Mode.OVERLAY) {
            return line(pal.dim, " ↑↓ PgUp PgDn Home End scroll · Esc or q close");
        }
        String keys = width >= 100
                ? " ↑↓ select · s send · n nudge · r read transcript · t jump to pane · d diagnose · ? help · q quit"
                : " ↑↓ select  s send  n nudge  r read  t pane  d diagnose  ? help  q quit";
        return line(pal.dim, keys);
    }

    // ---------------------------------------------------------------- helpers

    private AttributedString line(AttributedStyle style, String text) {
        return new AttributedString(Text.fit(text, width), style);
    }

    private AttributedString cut(AttributedString s) {
        if (s.columnLength() <= width) return s;
        AttributedString head = s.columnSubSequence(0, width - 1);
        AttributedStringBuilder b = new AttributedStringBuilder().append(head);
        b.style(pal.plain).append("…");
        return b.toAttributedString();
    }

    /** {@code left}, then {@code right} flush right; the left side is cut when both do not fit. */
    private AttributedString leftRight(AttributedString left, AttributedString right) {
        int rw = right.columnLength();
        if (rw + 2 > width) return cut(left);
        int room = width - rw - 1;
        AttributedString l = left.columnLength() > room
                ? new AttributedStringBuilder().append(left.columnSubSequence(0, room - 1)).append("…").toAttributedString()
                : left;
        AttributedStringBuilder b = new AttributedStringBuilder().append(l);
        b.append(" ".repeat(width - l.columnLength() - rw));
        b.append(right);
        return b.toAttributedString();
    }

    /** The styles; all plain without colour, so no escape sequence is ever produced then. */
    record Palette(AttributedStyle plain, AttributedStyle dim, AttributedStyle bold, AttributedStyle title, AttributedStyle red,
                   AttributedStyle redBold, AttributedStyle yellow, AttributedStyle yellowBold, AttributedStyle green,
                   AttributedStyle cyan, AttributedStyle selected, AttributedStyle selectedBold, AttributedStyle cursor,
                   AttributedStyle banner) {
        static final AttributedStyle D = AttributedStyle.DEFAULT;
        static final Palette PLAIN = new Palette(D, D, D, D, D, D, D, D, D, D, D, D, D, D);
        static final Palette COLOR = new Palette(D, D.faint(), D.bold(), D.bold().foreground(AttributedStyle.BLUE),
                D.foreground(AttributedStyle.RED), D.bold().foreground(AttributedStyle.RED), D.foreground(AttributedStyle.YELLOW),
                D.bold().foreground(AttributedStyle.YELLOW), D.foreground(AttributedStyle.GREEN), D.foreground(AttributedStyle.CYAN),
                D.inverse(), D.inverse().bold(), D.inverse(), D.bold().foreground(AttributedStyle.MAGENTA));
    }
}
