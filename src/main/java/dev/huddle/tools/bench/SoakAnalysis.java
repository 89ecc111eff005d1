package dev.huddle.tools.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The soak's verdicts, computed from what each side recorded (pure: no I/O, unit-tested): the agents' own logs
 * (when a line arrived and in which state, when a message reached them and how), the human's log (drafts and
 * prompts it typed, and whether it found them intact), and the hub's database (every message with its commit
 * time, every wake decision and route outcome). All times are wall-clock milliseconds of one machine.
 *
 * <p>The invariants, each a count that must be 0:
 * <ul>
 *   <li><b>keystrokes into busy agents</b>: a line (text or a bare Enter) that reached an agent during its turn;</li>
 *   <li><b>drafts altered by a wake</b>: a submitted line that is neither exactly the wake pointer nor exactly a prompt
 *       the human submitted (a pointer glued to a draft, a draft submitted by a wake's Enter), or a draft the human
 *       found changed before clearing or submitting it;</li>
 *   <li><b>idle recipients not woken</b>: a message committed while its recipient was idle at an empty composer (no
 *       draft, no human typing, not within {@link #MARGIN_MS} of a state change) that the recipient did not receive
 *       within {@code idleBoundMs} (or at all: the soak ends only after every agent has been idle for a while).</li>
 * </ul>
 */
final class SoakAnalysis {
    /** A commit this close to a state change (a line accepted, idle again) or to a human's typing is not classified. */
    static final long MARGIN_MS = 250;
    /** A message to a busy recipient must reach it before it is idle again (the Stop hook delivers it), give or take this. */
    static final long BUSY_SLACK_MS = 2_000;
    static final Set<String> OUTCOMES = Set.of("fired", "fired_unconfirmed", "failed", "skipped_human_typing", "skipped_wrong_pane",
            "skipped_not_foreground", "skipped_no_route");
    /** The hub's retry timer closing a wake: the agent took it up, or it gave up after its attempts. */
    static final Set<String> VERDICTS = Set.of("confirmed", "gave_up");

    record Event(long t, String ev, Map<String, Object> f) {
        String s(String k) {
            Object v = f.get(k);
            return v == null ? null : String.valueOf(v);
        }
    }

    record Msg(String id, String from, String to, long createdAt, String requestId, String replyTo, boolean actionRequired,
               String wake, Long deliveredAt, String via) {
    }

    record Wake(String messageId, String target, String route, String status, String reason, long at, Long durationMs) {
        boolean outcome() {
            return OUTCOMES.contains(status) && (route != null || !"skipped_no_route".equals(status));
        }

        boolean verdict() {
            return VERDICTS.contains(status);
        }

        long start() {
            return at - (durationMs == null ? 0 : durationMs);
        }
    }

    /** Something the human typed: a draft (cleared with C-u) or a prompt (submitted with Enter), and what it saw. */
    record Human(String agent, String kind, long t0, long t1, String text, String disturbed) {
    }

    enum State { IDLE, BUSY, TRANSITION, HUMAN_TYPING, UNKNOWN }

    /** The verdicts and the figures behind them. */
    record Result(int messages, Map<String, Integer> messagesByKind,
                  List<Map<String, Object>> keystrokesIntoBusy, List<Map<String, Object>> altered,
                  List<Map<String, Object>> collisions, List<Map<String, Object>> idleNotWoken,
                  List<Map<String, Object>> busyNotDelivered, Map<String, Integer> recipientStateAtCommit,
                  Map<String, Integer> decisions, Map<String, Integer> outcomes, Map<String, Integer> verdicts, List<Double> wakeToLineMs,
                  List<Double> routeMs, List<Double> idleReceiveMs, List<Double> draftReceiveMs, int draftNeverReceived,
                  List<Map<String, Object>> wakesIntoBusyAgents, int linesAccepted, int pointerLines, int humanPrompts,
                  int drafts, int hookErrors) {
    }

    private final Map<String, List<Event>> agents;
    private final List<Human> human;
    private final List<Msg> msgs;
    private final List<Wake> wakes;
    private final String pointer;
    private final long idleBoundMs;

    SoakAnalysis(Map<String, List<Event>> agents, List<Human> human, List<Msg> msgs, List<Wake> wakes, String pointer, long idleBoundMs) {
        this.agents = agents;
        this.human = human;
        this.msgs = msgs;
        this.wakes = wakes;
        this.pointer = pointer;
        this.idleBoundMs = idleBoundMs;
    }

    Result run() {
        Map<String, Integer> byKind = new TreeMap<>();
        for (Msg m : msgs) byKind.merge(kind(m), 1, Integer::sum);

        // ---- lines: into busy agents, altered, accepted -------------------------------------------------------
        List<Map<String, Object>> intoBusy = new ArrayList<>();
        List<Map<String, Object>> altered = new ArrayList<>();
        int accepted = 0;
        int pointers = 0;
        int hookErrors = 0;
        for (var e : agents.entrySet()) {
            String agent = e.getKey();
            for (Event ev : e.getValue()) {
                switch (ev.ev()) {
                    case "line_busy" -> intoBusy.add(row("agent", agent, "t", ev.t(), "text", ev.s("text"), "cause", causeOfLine(agent, ev.t())));
                    case "accept" -> {
                        accepted++;
                        String text = ev.s("text");
                        if (pointer.equals(text)) pointers++;
                        else if (!humanPrompted(agent, text) && ev.f().get("queued") == null) { // a queued line counted as line_busy already
                            altered.add(row("agent", agent, "t", ev.t(), "text", text, "cause", causeOfLine(agent, ev.t())));
                        }
                    }
                    case "error" -> hookErrors++;
                    default -> {
                    }
                }
            }
        }
        for (Human h : human) {
            if (h.disturbed() != null) altered.add(row("agent", h.agent(), "t", h.t1(), "human", h.kind(), "text", h.text(), "seen", h.disturbed()));
        }

        // ---- wakes --------------------------------------------------------------------------------------------
        Map<String, Integer> decisions = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> verdicts = new TreeMap<>();
        Map<String, List<Wake>> decisionsByMessage = new HashMap<>();
        List<Double> routeMs = new ArrayList<>();
        List<Double> wakeToLine = new ArrayList<>();
        List<Map<String, Object>> collisions = new ArrayList<>();
        List<Map<String, Object>> intoBusyDecisions = new ArrayList<>();
        for (Wake w : wakes) {
            if (w.outcome()) {
                outcomes.merge(w.status(), 1, Integer::sum);
                if (w.durationMs() != null && w.status().startsWith("fired")) routeMs.add((double) w.durationMs());
            } else if (w.verdict()) {
                verdicts.merge(w.status(), 1, Integer::sum);
            } else {
                decisions.merge(w.status(), 1, Integer::sum);
                if (w.messageId() != null && "will_fire".equals(w.status())) decisionsByMessage.computeIfAbsent(w.messageId(), k -> new ArrayList<>()).add(w);
            }
        }
        for (Wake w : wakes) {
            if (!w.outcome() || !w.status().startsWith("fired")) continue;
            // the decision this route ran for: the latest one of its message before it (a retry has its own)
            Wake d = null;
            for (Wake c : decisionsByMessage.getOrDefault(w.messageId() == null ? "" : w.messageId(), List.of())) if (c.at() <= w.at()) d = c;
            long decided = d == null ? w.start() : d.at();
            Event line = firstLine(w.target(), decided, w.at() + 2_000);
            if (line != null) wakeToLine.add((double) (line.t() - decided));
            for (Human h : human) {
                if (h.agent().equals(w.target()) && h.t0() <= w.at() && w.start() <= h.t1()) {
                    collisions.add(row("agent", w.target(), "message", w.messageId(), "wake_from", w.start(), "wake_to", w.at(), "wake_status", w.status(),
                            "human", h.kind(), "human_from", h.t0(), "human_to", h.t1(), "disturbed", h.disturbed()));
                }
            }
        }
        for (Wake w : wakes) {
            if (w.outcome() || !"will_fire".equals(w.status())) continue;
            State s = stateAt(w.target(), w.at(), 0);
            if (s == State.BUSY) {
                Event acc = lastBefore(w.target(), w.at(), "accept");
                intoBusyDecisions.add(row("agent", w.target(), "message", w.messageId(), "t", w.at(),
                        "ms_after_turn_start", acc == null ? null : w.at() - acc.t()));
            }
        }

        // ---- messages: was each recipient reached? ------------------------------------------------------------
        Map<String, Integer> states = new TreeMap<>();
        List<Map<String, Object>> idleMisses = new ArrayList<>();
        List<Map<String, Object>> busyMisses = new ArrayList<>();
        List<Double> idleReceive = new ArrayList<>();
        List<Double> draftReceive = new ArrayList<>();
        int draftNever = 0;
        for (Msg m : msgs) {
            if (!agents.containsKey(m.to())) continue;
            State s = stateAt(m.to(), m.createdAt(), MARGIN_MS);
            if (s == State.IDLE && humanTyping(m.to(), m.createdAt())) s = State.HUMAN_TYPING;
            states.merge(s.name().toLowerCase(), 1, Integer::sum);
            Long got = received(m.to(), m.id());
            switch (s) {
                case IDLE -> {
                    if (got != null && got - m.createdAt() <= idleBoundMs) {
                        idleReceive.add((double) (got - m.createdAt()));
                    } else {
                        // never received: the soak ends only once every agent has sat idle, so nothing will pick it up
                        idleMisses.add(row("message", m.id(), "from", m.from(), "to", m.to(), "kind", kind(m), "committed", m.createdAt(),
                                "received_after_ms", got == null ? null : got - m.createdAt(), "wake", wakesOf(m.id())));
                    }
                }
                case BUSY -> {
                    Event idle = firstAfter(m.to(), m.createdAt(), "idle");
                    if (got == null || idle != null && got > idle.t() + BUSY_SLACK_MS) {
                        busyMisses.add(row("message", m.id(), "from", m.from(), "to", m.to(), "kind", kind(m), "committed", m.createdAt(),
                                "recipient_idle_at", idle == null ? null : idle.t(), "received_after_ms", got == null ? null : got - m.createdAt(),
                                "wake", wakesOf(m.id())));
                    }
                }
                case HUMAN_TYPING -> {
                    if (got != null) draftReceive.add((double) (got - m.createdAt()));
                    else draftNever++;
                }
                default -> {
                }
            }
        }
        int prompts = (int) human.stream().filter(h -> h.kind().equals("prompt")).count();
        return new Result(msgs.size(), byKind, intoBusy, altered, collisions, idleMisses, busyMisses, states, decisions, outcomes, verdicts,
                wakeToLine, routeMs, idleReceive, draftReceive, draftNever, intoBusyDecisions, accepted, pointers, prompts,
                human.size() - prompts, hookErrors);
    }

    static String kind(Msg m) {
        if (m.requestId() != null) return "ask";
        if (m.actionRequired()) return "task";
        if (m.replyTo() != null) return "reply_to_ask";
        return m.wake() != null ? "send_wake_" + m.wake() : "reply_or_outcome";
    }

    /** Idle, busy or changing at {@code t}: from the agent's accepted lines and idle marks. */
    State stateAt(String agent, long t, long margin) {
        List<Event> evs = agents.get(agent);
        if (evs == null) return State.UNKNOWN;
        State s = State.UNKNOWN;
        for (Event e : evs) {
            boolean change = e.ev().equals("accept") || e.ev().equals("idle");
            if (!change) continue;
            if (Math.abs(e.t() - t) < margin) return State.TRANSITION;
            if (e.t() <= t) s = e.ev().equals("accept") ? State.BUSY : State.IDLE;
        }
        return s;
    }

    private boolean humanTyping(String agent, long t) {
        for (Human h : human) {
            if (h.agent().equals(agent) && h.t0() - MARGIN_MS <= t && t <= h.t1() + MARGIN_MS) return true;
        }
        return false;
    }

    private boolean humanPrompted(String agent, String text) {
        for (Human h : human) if (h.agent().equals(agent) && h.kind().equals("prompt") && h.text().equals(text)) return true;
        return false;
    }

    /** What put a line there: a wake whose route ran then, or the human's Enter. */
    private String causeOfLine(String agent, long t) {
        List<String> causes = new ArrayList<>();
        for (Wake w : wakes) {
            if (w.outcome() && w.target().equals(agent) && w.start() - 100 <= t && t <= w.at() + 1_000) {
                causes.add("wake of message " + w.messageId() + " (" + w.status() + ", " + w.reason() + ")");
            }
        }
        for (Human h : human) {
            if (h.agent().equals(agent) && h.kind().equals("prompt") && Math.abs(h.t1() - t) < 1_000) causes.add("the human's Enter");
        }
        return causes.isEmpty() ? "unknown" : String.join("; ", causes);
    }

    private Event firstLine(String agent, long from, long to) {
        for (Event e : agents.getOrDefault(agent, List.of())) {
            boolean line = e.ev().equals("accept") || e.ev().equals("line_busy") || e.ev().equals("blank_idle");
            if (line && e.t() >= from && e.t() <= to && pointer.equals(e.s("text"))) return e;
        }
        return null;
    }

    private Event firstAfter(String agent, long t, String ev) {
        for (Event e : agents.getOrDefault(agent, List.of())) if (e.ev().equals(ev) && e.t() > t) return e;
        return null;
    }

    private Event lastBefore(String agent, long t, String ev) {
        Event last = null;
        for (Event e : agents.getOrDefault(agent, List.of())) if (e.ev().equals(ev) && e.t() <= t) last = e;
        return last;
    }

    private Long received(String agent, String id) {
        for (Event e : agents.getOrDefault(agent, List.of())) if (e.ev().equals("recv") && id.equals(e.s("id"))) return e.t();
        return null;
    }

    private List<String> wakesOf(String messageId) {
        List<String> out = new ArrayList<>();
        for (Wake w : wakes) {
            if (messageId.equals(w.messageId())) out.add(w.status() + (w.route() == null ? "" : " via " + w.route()) + ": " + w.reason());
        }
        return out;
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) m.put(String.valueOf(kv[i]), kv[i + 1]);
        return m;
    }
}
