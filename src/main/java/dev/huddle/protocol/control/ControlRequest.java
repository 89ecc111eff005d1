package dev.huddle.protocol.control;

import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.StatusReport;

import java.util.List;

/**
 * One control request of the CLI to the hub ({@code kind: "control"}), typed by its reply {@code R}: the hello carries
 * the operation's wire name ({@link ControlOp}) as {@code op} and the record as {@code args}. The client calls
 * {@code R reply = hub.call(new Ps(all))}; the hub dispatches on the record's type. {@link ControlOp#of} names a
 * request's operation.
 */
public sealed interface ControlRequest<R> {

    /** {@code ping}: is a hub there. */
    record Ping() implements ControlRequest<Pong> {}

    /** {@code status} ({@code huddle hub status}): the hub's process, sockets, database and load. */
    record Status() implements ControlRequest<HubStatus> {}

    /** {@code ps}: the agents of the caller's project, or of every project. */
    record Ps(boolean all) implements ControlRequest<AgentList> {}

    /** {@code send}: an operator message to one agent, or with {@code all} to every online agent of the project. */
    record Send(String target, String body, boolean all, String project) implements ControlRequest<SendReceipt> {}

    /**
     * {@code log}: a project's messages after {@code afterSeq}, newest last; with {@code waitMs} the hub waits (at most
     * a minute) until there is news.
     *
     * @param limit at most this many (default 100)
     */
    record Log(String project, boolean all, String grep, long afterSeq, Integer limit, long waitMs) implements ControlRequest<LogPage> {}

    /** {@code diagnose}: how agents are wired and what waking did in the last {@code hours} (default 24, at most 720). */
    record Diagnose(Long hours) implements ControlRequest<Diagnosis> {}

    /** {@code status_report} ({@code huddle status}); {@code maxObligationAgeMs} defaults to 30 minutes. */
    record ReportStatus(String project, boolean all, Long maxObligationAgeMs) implements ControlRequest<StatusReport> {}

    /** {@code cockpit}: one snapshot of the dashboard. */
    record Cockpit(String project, boolean all, Long maxObligationAgeMs) implements ControlRequest<CockpitSnapshot> {}

    /**
     * {@code cockpit_watch}, the one streaming request: the reply carries the first snapshot, then the hub writes a
     * {@link WatchLine} per new snapshot, and a heartbeat when nothing changed for a while, until either side closes.
     */
    record CockpitWatch(String project, boolean all, Long maxObligationAgeMs) implements ControlRequest<CockpitSnapshot> {}

    /** {@code nudge}: the cockpit's operator message asking the agent to check its messages (a default text unless given). */
    record Nudge(String target, String body, String project) implements ControlRequest<SendReceipt> {}

    /** {@code read} ({@code huddle read}): what read_session shows an agent, for the human. */
    record Read(String target, String mode, Long limit, Long maxBytes, boolean includeTimestamps, boolean includeTools,
                Long paneLines, Long paneMaxChars, String project) implements ControlRequest<SessionRead> {}

    /** {@code claims}: the project's path claims (or every project's), explicit and implicit. */
    record Claims(String project, boolean all) implements ControlRequest<ClaimList> {}

    /** {@code release}: the human force-releases claims; each target is a path, a glob or an agent. */
    record Release(List<String> targets, String project) implements ControlRequest<Released> {
        public Release {
            targets = targets == null ? List.of() : targets;
        }
    }

    /** {@code web}: start the web cockpit (or find the running one) on {@code port} (0 or absent: any free port). */
    record Web(Integer port, String project, boolean all) implements ControlRequest<WebCockpit> {}

    /** {@code web_stop}: stop the web cockpit. */
    record WebStop() implements ControlRequest<WebStopped> {}

    /** {@code team_status} ({@code huddle team status}): the machines sharing the store, their hubs' heartbeats and agents. */
    record TeamStatus() implements ControlRequest<Team> {}

    /** {@code stop}: the hub stops once this reply is out. */
    record Stop() implements ControlRequest<Stopping> {}
}
