package dev.huddle.cli.watch;

import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.FeedItem;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.StaleObligation;
import dev.huddle.protocol.cockpit.Stranded;
import dev.huddle.protocol.cockpit.Wait;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's board, between header and key line: one row per agent (name, client, busy/idle/offline and for how
 * long, unread, open asks and obligations, latest tool call; wider terminals add whom it waits for and its purpose),
 * the selected agent's detail, who waits for whom (cycles marked), stranded mail and stale work, and the newest
 * messages, each section given the height it needs as far as the frame allows.
 */
final class Board {
    /** Columns from which the agents table adds whom each agent waits for, and from which it adds the purpose. */
    static final int WAITS_COLUMN_FROM = 100;
    static final int PURPOSE_COLUMN_FROM = 140;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final CockpitSnapshot snap;
    private final WatchState st;
    private final Instant now;
    private final ZoneId zone;
    private final Canvas c;
    /** label → short name (name, else handle), for waits, cycles and the feed. */
    private final Map<String, String> shortNames = new HashMap<>();

    Board(CockpitSnapshot snap, WatchState st, Instant now, ZoneId zone, Canvas c) {
        this.snap = snap;
        this.st = st;
        this.now = now;
        this.zone = zone;
        this.c = c;
        for (ProjectStatus p : snap.projects()) {
            for (AgentStatus a : p.agents()) shortNames.put(a.label(), a.shortName());
        }
    }

    private record Row(AgentStatus agent, String projectHeader) {}

    /** Fills {@code body} lines: the agents, the selected agent's detail, the waits, the messages. */
    void draw(List<AttributedString> out, int body) {
        List<Row> rows = new ArrayList<>();
        boolean multi = snap.projects().size() > 1;
        for (ProjectStatus p : snap.projects()) {
            if (multi) rows.add(new Row(null, p.projectRoot()));
            for (AgentStatus a : p.agents()) rows.add(new Row(a, null));
        }
        List<AttributedString> waits = waitLines();
        List<FeedItem> feed = feedTail(body);

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
        for (ProjectStatus p : snap.projects()) n += p.waits().size();
        return n == 0 ? "" : n + (n == 1 ? " wait" : " waits");
    }

    // ---- agents

    private int nameWidth(List<Row> rows) {
        int max = 5;
        boolean labels = c.width >= WAITS_COLUMN_FROM;
        for (Row r : rows) {
            if (r.agent == null) continue;
            max = Math.max(max, Text.cols(Text.clean(labels ? r.agent.label() : r.agent.shortName())));
        }
        return Math.min(max, labels ? 28 : 16);
    }

    private void agents(List<AttributedString> out, List<Row> rows, int h) {
        if (h <= 0) return;
        int nameW = nameWidth(rows);
        boolean waitsCol = c.width >= WAITS_COLUMN_FROM;
        boolean purposeCol = c.width >= PURPOSE_COLUMN_FROM;
        AttributedStringBuilder hb = new AttributedStringBuilder().style(c.pal.dim());
        hb.append("  ").append(Text.pad("AGENT", nameW)).append(" ").append(Text.pad("CLIENT", 6)).append(" ")
                .append(Text.pad("STATE", 11)).append(" ").append("UNREAD").append(" ").append("ASK").append(" ").append("OBL");
        if (waitsCol) hb.append(" ").append(Text.pad("WAITS FOR", 18));
        if (purposeCol) hb.append(" ").append(Text.pad("PURPOSE", 32));
        hb.append(" ").append("LAST TOOL");
        List<Row> agentRows = rows;
        int visible = h - 1;
        int selIdx = 0;
        AgentStatus sel = st.selectedAgent(snap);
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).agent != null && rows.get(i).agent == sel) selIdx = i;
        int start = 0;
        if (rows.size() > visible) {
            start = Math.max(0, Math.min(selIdx - visible / 2, rows.size() - visible));
            String range = (start + 1) + "-" + Math.min(rows.size(), start + visible) + " of " + rows.size();
            out.add(c.leftRight(hb.toAttributedString(), new AttributedString(range, c.pal.dim())));
        } else {
            out.add(c.cut(hb.toAttributedString()));
        }
        if (rows.isEmpty() && visible > 0) {
            out.add(c.line(c.pal.dim(), "  no agents yet: start Claude Code, Codex or Gemini here with huddle set up (huddle setup)"));
            return;
        }
        for (int i = start; i < Math.min(agentRows.size(), start + visible); i++) {
            Row r = agentRows.get(i);
            if (r.agent == null) {
                out.add(c.line(c.pal.dim(), "  " + Text.clean(projectName(r.projectHeader)) + "  " + Text.clean(r.projectHeader)));
                continue;
            }
            out.add(agentRow(r.agent, r.agent == sel, nameW, waitsCol, purposeCol));
        }
    }

    private AttributedString agentRow(AgentStatus a, boolean selected, int nameW, boolean waitsCol, boolean purposeCol) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        AttributedStyle base = selected ? c.pal.selected() : c.pal.plain();
        b.style(base).append(selected ? ">" : " ");
        b.style(a.onCycle() && !selected ? c.pal.redBold() : base).append(a.onCycle() ? "!" : " ");
        b.style(selected ? c.pal.selectedBold() : a.onCycle() ? c.pal.redBold() : c.pal.bold())
                .append(Text.pad(Text.clean(c.width >= WAITS_COLUMN_FROM ? a.label() : a.shortName()), nameW));
        b.style(base).append(" ").append(Text.pad(client(a.clientType()), 6)).append(" ");
        String state;
        AttributedStyle stateStyle;
        if (!a.online()) {
            state = "offline" + (a.offlineSince() == null ? "" : " " + Text.age(seconds(a.offlineSince())));
            stateStyle = c.pal.dim();
        } else if ("busy".equals(a.state())) {
            state = "busy" + since(a.activitySince());
            stateStyle = c.pal.green();
        } else if ("idle".equals(a.state())) {
            state = "idle" + since(a.activitySince());
            stateStyle = c.pal.yellow();
        } else {
            state = "online";
            stateStyle = c.pal.plain();
        }
        b.style(selected ? c.pal.selected() : stateStyle).append(Text.pad(state, 11));
        b.style(base).append(" ");
        b.style(a.unread() > 0 ? (selected ? c.pal.selectedBold() : c.pal.yellowBold()) : base).append(Text.padLeft(String.valueOf(a.unread()), 6));
        b.style(base).append(" ").append(Text.padLeft(String.valueOf(count(a.openAsks())), 3)).append(" ")
                .append(Text.padLeft(String.valueOf(count(a.openObligations())), 3));
        if (waitsCol) {
            String wf = a.waitsFor().isEmpty() ? "-" : "→ " + String.join(", ", a.waitsFor().stream().map(this::shortName).toList());
            b.style(a.onCycle() && !selected ? c.pal.red() : base).append(" ").append(Text.pad(wf, 18));
        }
        if (purposeCol) b.style(base).append(" ").append(Text.pad(Text.clean(a.purpose() == null ? "-" : a.purpose()), 32));
        b.style(base).append(" ");
        int used = b.columnLength();
        int room = c.width - used;
        if (room > 0) {
            LastTool t = a.lastTool();
            String tool = t == null ? "-" : toolText(t, room);
            b.style(t != null && t.failed() && !selected ? c.pal.red() : base).append(Text.pad(tool, room));
        }
        return c.cut(b.toAttributedString());
    }

    private String toolText(LastTool t, int room) {
        String age = t.at() == null ? "" : " " + Text.age(seconds(t.at()));
        String text = Text.clean(t.name()) + (t.failed() ? " (error)" : "") + " " + Text.clean(t.input() == null ? "" : t.input()).strip();
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
        return Text.seconds(t, now);
    }

    private String shortName(String label) {
        if (label == null) return "?";
        return Text.clean(shortNames.getOrDefault(label, label));
    }

    // ---- detail of the selected agent

    private void detail(List<AttributedString> out, int lines) {
        AgentStatus a = st.selectedAgent(snap);
        if (a == null) return;
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(c.pal.bold()).append(" " + Text.clean(a.label()));
        b.style(c.pal.dim()).append(" · " + (a.clientType() == null ? "unknown" : Text.clean(a.clientType())) + " · ");
        b.style(c.pal.plain()).append(a.purpose() == null ? "no purpose set" : Text.clean(a.purpose()));
        out.add(c.cut(b.toAttributedString()));
        if (lines < 2) return;
        List<String> parts = new ArrayList<>();
        boolean past = a.terminal() != null && Boolean.TRUE.equals(a.terminal().past()); // offline: "was tmux …", history
        if (a.terminal() != null) parts.add(Text.clean(a.terminal().label()) + (a.terminal().verified() || past ? "" : " (unverified)"));
        else parts.add("no terminal known");
        if (a.waitedOnBy() > 0) parts.add("waited on by " + a.waitedOnBy());
        if (count(a.claims()) > 0) parts.add(a.claims() + (a.claims() == 1 ? " claim" : " claims"));
        if (Boolean.TRUE.equals(a.rewakeArmed())) parts.add("rewake armed");
        if (!a.online() && a.unread() > 0) parts.add(a.unread() + " unread, stranded");
        LastTool t = a.lastTool();
        if (t != null) {
            parts.add("last tool" + (t.at() == null ? "" : " " + Text.age(seconds(t.at())) + " ago") + ": " + Text.clean(t.name())
                    + (t.failed() ? " (error)" : "") + (t.input() == null ? "" : " " + Text.clean(t.input()).strip()));
        }
        out.add(c.line(c.pal.dim(), "   " + String.join(" · ", parts)));
    }

    // ---- waits

    private List<AttributedString> waitLines() {
        List<AttributedString> lines = new ArrayList<>();
        for (ProjectStatus p : snap.projects()) {
            List<Wait> waits = new ArrayList<>(p.waits());
            waits.sort((x, y) -> Boolean.compare(y.onCycle(), x.onCycle())); // cycles first
            for (List<String> cycle : p.cycles()) {
                if (cycle.isEmpty()) continue;
                String ring = String.join(" → ", cycle.stream().map(this::shortName).toList()) + " → " + shortName(cycle.getFirst());
                lines.add(c.line(c.pal.redBold(), " ! deadlock: " + ring));
            }
            for (Wait w : waits) {
                List<String> why = new ArrayList<>();
                if (w.asks() > 0) why.add(w.asks() + (w.asks() == 1 ? " ask" : " asks"));
                if (w.obligations() > 0) why.add(w.obligations() + (w.obligations() == 1 ? " obligation" : " obligations"));
                String text = (w.onCycle() ? " ! " : "   ") + Text.padLeft(Text.age(seconds(w.since())), 4) + "  "
                        + shortName(w.from()) + " waits for " + shortName(w.to()) + "  (" + String.join(", ", why)
                        + (w.onCycle() ? ", on a cycle" : "") + ")";
                lines.add(c.line(w.onCycle() ? c.pal.red() : c.pal.plain(), text));
            }
            for (Stranded s : p.stranded()) {
                lines.add(c.line(c.pal.yellow(), " ! stranded: " + s.count() + " unread for " + shortName(s.agent()) + " (offline"
                        + (s.offlineSince() == null ? "" : " " + Text.age(seconds(s.offlineSince()))) + "), oldest "
                        + Text.age(seconds(s.oldestAt()))));
            }
            for (StaleObligation s : p.staleObligations()) {
                lines.add(c.line(c.pal.yellow(), " ! stale work " + Text.clean(s.messageId()) + " open " + Text.age(seconds(s.since())) + ": "
                        + shortName(s.from()) + " → " + shortName(s.to())));
            }
        }
        if (lines.isEmpty()) lines.add(c.line(c.pal.dim(), "   nobody waits for anybody"));
        return lines;
    }

    private void section(List<AttributedString> out, List<AttributedString> lines, int h, String title, String note) {
        out.add(c.rule(title, note));
        int room = h - 1;
        if (room <= 0) return;
        if (lines.size() <= room) {
            out.addAll(lines);
            return;
        }
        out.addAll(lines.subList(0, room - 1));
        out.add(c.line(c.pal.dim(), "   … " + (lines.size() - room + 1) + " more"));
    }

    // ---- messages

    /** The newest messages that could fit, oldest first; never walks more of the history than the screen can show. */
    private List<FeedItem> feedTail(int max) {
        if (snap.projects().size() == 1) {
            List<FeedItem> f = snap.projects().getFirst().feedOrNone();
            return f.subList(Math.max(0, f.size() - max), f.size());
        }
        List<FeedItem> all = new ArrayList<>();
        for (ProjectStatus p : snap.projects()) {
            List<FeedItem> f = p.feedOrNone();
            all.addAll(f.subList(Math.max(0, f.size() - max), f.size()));
        }
        all.sort((x, y) -> Long.compare(x.seq(), y.seq()));
        return all.subList(Math.max(0, all.size() - max), all.size());
    }

    private void feed(List<AttributedString> out, List<FeedItem> feed, int h) {
        int total = 0;
        for (ProjectStatus p : snap.projects()) total += p.feedOrNone().size();
        out.add(c.rule("messages", total == 0 ? "" : "newest last"));
        int room = h - 1;
        if (room <= 0) return;
        if (feed.isEmpty()) {
            out.add(c.line(c.pal.dim(), "   no messages yet"));
            return;
        }
        for (FeedItem f : feed.subList(Math.max(0, feed.size() - room), feed.size())) out.add(feedLine(f));
    }

    private AttributedString feedLine(FeedItem f) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.style(c.pal.dim()).append(f.at() == null ? "--:--:--" : CLOCK.format(f.at().atZone(zone))).append(" ");
        boolean operator = "operator".equals(f.kind());
        b.style(operator ? c.pal.cyan() : c.pal.bold()).append(operator ? "you" : shortName(f.from()));
        b.style(c.pal.plain()).append(" → ");
        b.style(c.pal.bold()).append(shortName(f.to()));
        String mark = switch (f.kind() == null ? "" : f.kind()) {
            case "ask" -> "?";
            case "reply" -> "↩";
            case "work" -> "work " + (f.obligation() == null ? "open" : f.obligation());
            default -> "";
        };
        if (f.delivered() == null) mark = mark.isEmpty() ? "pending" : mark + ", pending";
        if (!mark.isEmpty()) b.style(mark.startsWith("work open") ? c.pal.yellow() : c.pal.dim()).append(" [" + Text.clean(mark) + "]");
        b.style(c.pal.plain()).append(" ").append(Text.firstLine(f.body()));
        return c.cut(b.toAttributedString());
    }

    /** A count the hub may leave out (a status report's row has none): zero then. */
    private static int count(Integer n) {
        return n == null ? 0 : n;
    }

    /** The directory name of a project root: what headers call the project. */
    static String projectName(String root) {
        if (root == null) return "?";
        Path p = Path.of(root).getFileName();
        return p == null ? root : p.toString();
    }
}
