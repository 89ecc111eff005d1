package dev.huddle.protocol.cockpit;

import dev.huddle.protocol.json.KeepNull;

import java.time.Instant;
import java.util.List;

/**
 * One agent's row of a status report; the cockpit adds what it draws besides (purpose, times, open asks and
 * obligations, claims, latest tool call, terminal, rewake), which a status report leaves out.
 *
 * @param label      "name (handle)", or the handle
 * @param sessionId  null while the agent is unbound (always on the wire: pages show it)
 * @param waitsFor   the labels of the agents it waits for
 * @param rewakeArmed Claude Code only: its rewake hook waits in the hub, so a wake needs no keystrokes
 */
public record AgentStatus(String handle, String name, String label, @KeepNull String sessionId, String clientType,
                          boolean online, ActivityState activity, int unread, List<String> waitsFor, int waitedOnBy,
                          boolean onCycle, String purpose, Instant activitySince, Instant offlineSince, Integer openAsks,
                          Integer openObligations, Integer claims, LastTool lastTool, TerminalRef terminal,
                          Boolean rewakeArmed) {
    public AgentStatus {
        waitsFor = waitsFor == null ? List.of() : waitsFor;
    }

    /** The name, else the handle: what the dashboard calls the agent where room is short. */
    public String shortName() {
        return name != null ? name : handle;
    }

    /** What {@code send}, {@code nudge} and {@code read} accept as target: the session id, else the handle. */
    public String target() {
        return sessionId != null ? sessionId : handle;
    }

    /** busy, idle or unknown. */
    public String state() {
        return activity == null ? null : activity.state();
    }

    /** A tmux pane the process tree proved hosts this agent (so jumping there lands on it), or null. */
    public TerminalRef tmuxPane() {
        return terminal != null && "tmux".equals(terminal.kind()) && terminal.verified() && terminal.pane() != null ? terminal : null;
    }

    /** This row with what the cockpit adds, and without ages (the cockpit's clients compute them from the times). */
    public AgentStatus forCockpit(String purpose, Instant activitySince, Instant offlineSince, int openAsks, int openObligations,
                                  int claims, LastTool lastTool, TerminalRef terminal, Boolean rewakeArmed) {
        ActivityState a = activity == null ? null : new ActivityState(activity.state(), null);
        return new AgentStatus(handle, name, label, sessionId, clientType, online, a, unread, waitsFor, waitedOnBy, onCycle,
                purpose, activitySince, offlineSince, openAsks, openObligations, claims, lastTool, terminal, rewakeArmed);
    }
}
