package dev.huddle.hub.reading;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.CommitWatcher;
import dev.huddle.store.ReadRequestStore;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This machine's hub answering other machines' reads of its agents (a shared store): at every commit it takes the
 * requests for this machine and answers each from the local transcript or pane through {@link ReadSessions}, with the
 * same checks as a local read (the project, the agent's opt-out, the transcript trust rules), as long as this machine's
 * user turned it on ({@link Settings#TEAM_READ_TRANSCRIPTS}); otherwise the reader is told how. A request from another
 * machine's user is judged as one from an agent: this hub cannot tell who that is, so an opt-out holds. An answer is
 * bounded ({@link ReadRequestStore#MAX_RESPONSE_CHARS}). Expired requests are deleted here.
 */
public final class ReadAnswers implements AutoCloseable {
    private final ReadRequestStore requests;
    private final AgentStore agents;
    private final ReadSessions reads;
    private final Clock clock;
    private final String machine;
    private final boolean shared;
    private final CommitWatcher watcher;

    /** @param shared whether this machine's user lets other machines read its agents */
    public ReadAnswers(ReadRequestStore requests, AgentStore agents, ReadSessions reads, ChangeSignal changes, Clock clock,
                       String machine, boolean shared) {
        this.requests = requests;
        this.agents = agents;
        this.reads = reads;
        this.clock = clock;
        this.machine = machine;
        this.shared = shared;
        this.watcher = new CommitWatcher("read-answers", changes, java.util.Set.of("read_requests"), this::look, "answering other machines' reads");
    }

    public ReadAnswers start() {
        watcher.start();
        return this;
    }

    /** Answers every pending request for this machine; deletes expired ones. */
    void look() {
        Instant now = clock.instant();
        requests.deleteExpired(now);
        for (ReadRequestStore.ReadRequest r : requests.pendingFor(machine, now)) {
            String status = ReadRequestStore.ANSWERED;
            String response;
            try {
                response = Json.write(read(r));
                if (response.length() > ReadRequestStore.MAX_RESPONSE_CHARS) {
                    throw new HuddleError("read-too-large", "the read of " + r.targetId() + " is larger than an answer between machines carries ("
                            + ReadRequestStore.MAX_RESPONSE_CHARS / 1024 + " KB)", "Ask for less: a smaller limit or max_bytes.");
                }
            } catch (HuddleError e) {
                status = ReadRequestStore.FAILED;
                response = Json.write(new RemoteRead.Failure(e.code(), e.getMessage(), e.hint()));
            } catch (RuntimeException e) {
                status = ReadRequestStore.FAILED;
                response = Json.write(new RemoteRead.Failure("remote-read-failed", "machine " + machine + "'s hub could not read "
                        + r.targetId() + ": " + e.getMessage(), "Ask it instead, with send_message or ask_peer."));
            }
            requests.answer(r.id(), status, response, clock.instant());
        }
    }

    private Views.ReadSessionResult read(ReadRequestStore.ReadRequest r) {
        if (!shared) {
            throw new HuddleError("remote-read-off", "machine " + machine + " does not let other machines read its agents' sessions",
                    "On " + machine + ", its user turns it on with \"" + Settings.TEAM_READ_TRANSCRIPTS.key()
                            + "\": true in $HUDDLE_HOME/config.json, then restarts its hub (huddle hub restart): the owning machine"
                            + " decides what leaves it. Meanwhile ask the agent, with send_message or ask_peer.");
        }
        RemoteRead p = Json.read(r.params(), RemoteRead.class);
        Agent me = null;
        if (r.requesterId() != null) {
            me = agents.find(r.requesterId()).orElseThrow(() -> new HuddleError("unknown-agent", "the reading agent is not known here",
                    "Try again once its row is in the store."));
        }
        if (!agents.readable(r.targetId())) {
            throw new HuddleError("not-readable", r.targetId() + " has opted out of being read (set_my_state readable: false)",
                    "Ask it instead, with send_message or ask_peer.");
        }
        if (me == null && !reads.agentsMayRead()) {
            throw new HuddleError("read-disabled", "machine " + machine + "'s user has turned " + Tools.READ_SESSION.name() + " off",
                    "Ask the agent instead, with send_message or ask_peer.");
        }
        Map<String, Views.ClampedView> clamped = new LinkedHashMap<>();
        // the sizes within what one answer carries
        ReadSessions.Request req = new ReadSessions.Request(r.targetId(), p.mode(), p.limit(),
                RemoteRead.cap("max_bytes", p.maxBytes(), RemoteRead.MAX_BYTES, clamped), p.timestamps(), p.tools(), p.paneLines(),
                RemoteRead.cap("pane_max_chars", p.paneMaxChars(), RemoteRead.MAX_PANE_CHARS, clamped));
        Views.ReadSessionResult read = reads.read(me, p.project(), req);
        return RemoteRead.with(read, clamped, null);
    }

    @Override
    public void close() {
        watcher.close();
    }
}
