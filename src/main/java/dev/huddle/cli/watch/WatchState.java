package dev.huddle.cli.watch;

import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import org.jline.utils.AttributedString;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard shows besides the hub's snapshot: the selected agent, the mode (board, composing a message, an
 * overlay), the line being typed, a transient notice, the connection's state and an optional banner (the demo's
 * progress). Mutated only by the UI thread; the renderer reads it.
 */
public final class WatchState {
    public enum Mode { BOARD, COMPOSE, OVERLAY }

    /** The hub connection as the header shows it. */
    public enum Link { CONNECTING, LIVE, DOWN }

    /** A scrollable text over the board: a transcript, the diagnosis, the help. */
    public record Overlay(String title, List<AttributedString> lines, int scroll) {
        public Overlay withScroll(int s) {
            return new Overlay(title, lines, s);
        }
    }

    Mode mode = Mode.BOARD;
    /** Handle of the selected agent; null selects the first. */
    String selected;
    /** The agent a message being composed goes to. */
    AgentStatus composeTo;
    final StringBuilder input = new StringBuilder();
    Overlay overlay;
    String notice;
    boolean noticeError;
    Instant noticeAt;
    Link link = Link.CONNECTING;
    Instant linkSince;
    String linkDetail;
    String banner;

    public WatchState() {}

    public Mode mode() {
        return mode;
    }

    public String selected() {
        return selected;
    }

    /** The agent the dashboard acts on: the selected one, else the first; null when there is none. */
    public AgentStatus selectedAgent(CockpitSnapshot snap) {
        if (snap == null) return null;
        List<AgentStatus> agents = snap.agents();
        if (agents.isEmpty()) return null;
        if (selected != null) for (AgentStatus a : agents) if (selected.equals(a.handle())) return a;
        return agents.getFirst();
    }

    public WatchState select(String handle) {
        this.selected = handle;
        return this;
    }

    public WatchState link(Link link, Instant since, String detail) {
        this.link = link;
        this.linkSince = since;
        this.linkDetail = detail;
        return this;
    }

    public WatchState notice(String text, boolean error, Instant at) {
        this.notice = text;
        this.noticeError = error;
        this.noticeAt = at;
        return this;
    }

    public WatchState banner(String text) {
        this.banner = text;
        return this;
    }

    public WatchState compose(AgentStatus to, String text) {
        this.mode = Mode.COMPOSE;
        this.composeTo = to;
        this.input.setLength(0);
        this.input.append(text);
        return this;
    }

    public WatchState overlay(Overlay overlay) {
        this.mode = overlay == null ? Mode.BOARD : Mode.OVERLAY;
        this.overlay = overlay;
        return this;
    }

    public Overlay overlay() {
        return overlay;
    }

    public String input() {
        return input.toString();
    }

    public WatchState board() {
        this.mode = Mode.BOARD;
        this.overlay = null;
        this.composeTo = null;
        this.input.setLength(0);
        return this;
    }
}
