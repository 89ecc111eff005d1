package dev.huddle.hub.reading;

import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.Settings;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.messaging.TrustFrame;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.transcript.Tail;
import dev.huddle.agents.transcript.TailBudget;
import dev.huddle.agents.transcript.ToolCall;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.agents.transcript.TranscriptLocator;
import dev.huddle.agents.transcript.TranscriptMessage;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.TargetResolver;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.terminal.PaneReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code read_session} and {@code huddle read}: a peer's newest transcript messages, or the screen of its own tmux
 * pane. Only agents of the caller's project; an agent that opted out ({@code set_my_state readable: false}) is not
 * read by peers (its user, through the CLI, still reads it). Every numeric argument is clamped into its range and the
 * result says so ({@code clamped}).
 */
public final class ReadSessions {
    private static final String FRAME = TrustFrame.FOR_SESSION;

    record Range(String name, long min, long max, long def) {
        long apply(Number asked, Map<String, Views.ClampedView> clamped) {
            if (asked == null) return def;
            double d = asked.doubleValue(); // a BigInteger's longValue() would keep only its low bits
            long v = d >= Long.MAX_VALUE ? Long.MAX_VALUE : d <= Long.MIN_VALUE ? Long.MIN_VALUE : asked.longValue();
            long used = Math.max(min, Math.min(max, v));
            if (used != v) clamped.put(name, new Views.ClampedView(v, used));
            return used;
        }
    }

    static final Range LIMIT = new Range("limit", 1, 1_000, 20);
    static final Range MAX_BYTES = new Range("max_bytes", 256, 1_000_000, 24_000);
    static final Range PANE_LINES = new Range("pane_lines", 20, 5_000, 240);
    static final Range PANE_MAX_CHARS = new Range("pane_max_chars", 500, 200_000, 20_000);

    /** The arguments, as given (numbers unclamped, null when absent). */
    public record Request(String target, String mode, Number limit, Number maxBytes, boolean timestamps, boolean tools,
                   Number paneLines, Number paneMaxChars) {}

    private final AgentClients clients;
    private final AgentStore agents;
    private final PaneReader panes;
    private final Clock clock;
    private final TranscriptTrust transcripts;
    private final boolean agentsMayRead;
    /** Reads of other machines' agents, through their hubs (a shared store), or null. */
    private final RemoteReads remote;
    /** Computed transcript paths, by agent and session: a Codex search of every day is not repeated per call. */
    private final Map<String, Path> located = new ConcurrentHashMap<>();

    /**
     * @param agentsMayRead false when the user turned read_session off for agents (config or environment)
     * @param remote        reads of other machines' agents (a shared store), or null
     */
    public ReadSessions(AgentClients clients, AgentRegistry registry, AgentStore agents, PaneReader panes, Clock clock,
                        Map<String, String> hubEnv, boolean agentsMayRead, RemoteReads remote) {
        this.clients = clients;
        this.agentsMayRead = agentsMayRead;
        this.remote = remote;
        this.agents = agents;
        this.panes = panes;
        this.clock = clock;
        this.transcripts = new TranscriptTrust(registry, agents, hubEnv); // where transcripts are, and the tmux server
    }

    /** Whether this machine's user lets agents read sessions (read_session). */
    boolean agentsMayRead() {
        return agentsMayRead;
    }

    /** Which transcript files may be recorded and read (hooks check the paths they report against it). */
    public TranscriptTrust transcripts() {
        return transcripts;
    }

    /**
     * @param me      the reading agent, or null for the human (the CLI)
     * @param project the project whose agents may be read
     */
    public Views.ReadSessionResult read(Agent me, String project, Request req) {
        if (me != null && !agentsMayRead) {
            throw new HuddleError("read-disabled", "the user has turned " + Tools.READ_SESSION.name() + " off for agents (\"" + Settings.READ_SESSION.key()
                    + "\": false in $HUDDLE_HOME/config.json, or " + Settings.READ_SESSION.env() + "=off)", "Ask the peer instead, with send_message or ask_peer.");
        }
        String mode = req.mode() == null ? "auto" : req.mode();
        if (!List.of("auto", "transcript", "pane").contains(mode)) {
            throw new HuddleError("invalid-argument", "mode must be auto, transcript or pane, not '" + mode + "'", "Omit mode for auto.");
        }
        Map<String, Views.ClampedView> clamped = new LinkedHashMap<>();
        int limit = (int) LIMIT.apply(req.limit(), clamped);
        int maxBytes = (int) MAX_BYTES.apply(req.maxBytes(), clamped);
        int paneLines = (int) PANE_LINES.apply(req.paneLines(), clamped);
        int paneMaxChars = (int) PANE_MAX_CHARS.apply(req.paneMaxChars(), clamped);

        Agent peer = TargetResolver.resolveToRead(req.target(), me == null ? null : me.agentId(), project, agents.listAll(false));
        boolean readable = agents.readable(peer.agentId());
        if (me != null && !readable) {
            throw new HuddleError("not-readable", label(peer) + " has opted out of being read (set_my_state readable: false)",
                    "Ask it instead, with send_message or ask_peer.");
        }
        var owner = remote == null ? java.util.Optional.<String>empty() : agents.otherMachine(peer.agentId());
        if (owner.isPresent()) return remote.read(me, peer, owner.get(), remoteRead(project, req)); // its own machine's hub reads it
        String note = readable ? null : "this agent opted out of being read by its peers; you see it as its user";
        Map<String, String> env = transcripts.envOf(peer);
        Views.ReadPeerView who = new Views.ReadPeerView(peer.sessionId(), peer.handle(), peer.name(), peer.clientType().wireName(),
                peer.online(), peer.activity().wireName());
        Map<String, Views.ClampedView> clampedOut = clamped.isEmpty() ? null : clamped;

        String transcriptFailure = null;
        if (!mode.equals("pane")) {
            switch (transcript(me, peer, env, limit, maxBytes, req.tools(), req.timestamps())) {
                case TranscriptAttempt.Read t -> {
                    return new Views.ReadSessionResult(true, FRAME, who, "transcript", t.file(), t.messages(), t.messages().size(),
                            t.total(), t.exact(), t.more(), t.cut(), t.skipped() > 0 ? t.skipped() : null, null, null, clampedOut, note);
                }
                case TranscriptAttempt.Failed f -> {
                    if (mode.equals("transcript")) throw new HuddleError(f.code(), f.reason(), f.hint());
                    transcriptFailure = f.reason();
                }
            }
        }
        PaneReader.Outcome shot = panes.capture(peer.process(), env, paneLines, paneMaxChars);
        if (!shot.captured()) {
            if (mode.equals("pane")) {
                throw new HuddleError("no-pane", label(peer) + ": no pane to read: " + shot.reason(),
                        "Pane mode reads the tmux pane the agent runs in, proven by its process tree; try mode transcript.");
            }
            throw new HuddleError("nothing-to-read", label(peer) + " has no transcript huddle can read (" + transcriptFailure
                    + ") and no pane (" + shot.reason() + ")", "Ask it instead, with send_message or ask_peer.");
        }
        PaneReader.Capture c = shot.capture();
        Views.PaneView pane = new Views.PaneView(c.tmuxSession(), c.pane(), c.window(), c.lines(), paneMaxChars, c.text(),
                c.truncatedChars() > 0 ? c.truncatedChars() : null);
        return new Views.ReadSessionResult(true, FRAME, who, "pane", null, null, null, null, null, null, null, null, pane,
                transcriptFailure == null ? null : "no transcript: " + transcriptFailure, clampedOut, note);
    }

    /** What the owning hub of another machine's agent is asked to read. */
    private static RemoteRead remoteRead(String project, Request r) {
        return new RemoteRead(project, r.mode(), asLong(r.limit()), asLong(r.maxBytes()), r.timestamps(), r.tools(),
                asLong(r.paneLines()), asLong(r.paneMaxChars()));
    }

    private static Long asLong(Number n) {
        if (n == null) return null;
        double d = n.doubleValue(); // a BigInteger's longValue() would keep only its low bits
        return d >= Long.MAX_VALUE ? Long.MAX_VALUE : d <= Long.MIN_VALUE ? Long.MIN_VALUE : n.longValue();
    }

    /** A transcript read, or why not. */
    private sealed interface TranscriptAttempt {
        record Read(Views.TranscriptFileView file, List<Views.TranscriptMessageView> messages, int total, boolean exact,
                    boolean more, boolean cut, int skipped) implements TranscriptAttempt {}

        record Failed(String code, String reason, String hint) implements TranscriptAttempt {}
    }

    private TranscriptAttempt transcript(Agent me, Agent peer, Map<String, String> env, int limit, int maxBytes, boolean tools,
                                         boolean timestamps) {
        TranscriptFormat format = format(peer);
        if (format == null) {
            return new TranscriptAttempt.Failed("no-transcript", "its client is not known, so neither is its transcript format",
                    "Its hooks or its MCP handshake tell huddle which client it is; try mode pane.");
        }
        String key = peer.agentId() + "|" + peer.sessionId();
        Path cached = located.get(key);
        TranscriptLocator.Found found;
        if (peer.transcriptPath() == null && cached != null && Files.isRegularFile(cached)) {
            found = new TranscriptLocator.Found(cached, "computed");
        } else {
            TranscriptLocator.Result where = TranscriptLocator.locate(format, peer.sessionId(), peer.cwd(),
                    peer.transcriptPath(), env);
            if (where.found().isEmpty()) {
                return new TranscriptAttempt.Failed("no-transcript", "no transcript file found; looked at "
                        + String.join("; ", where.looked()), "Its client writes one once the session has a first message; "
                        + "huddle's hooks report where (huddle setup). Try mode pane.");
            }
            found = where.found().get();
            if (found.source().equals("computed")) located.put(key, found.file());
        }
        TranscriptTrust.Checked checked = transcripts.check(format, env, found.file());
        if (checked.refusal() != null) {
            located.remove(key);
            return new TranscriptAttempt.Failed("transcript-refused", "huddle does not read " + checked.refusal(),
                    "huddle reads only the client's own transcript files; try mode pane.");
        }
        if (me != null) {
            var optedOut = transcripts.optedOutOwner(checked.file(), peer);
            if (optedOut.isPresent()) {
                return new TranscriptAttempt.Failed("not-readable", "the transcript reported for " + label(peer) + " is the one of "
                        + label(optedOut.get()) + ", which has opted out of being read", "Ask them instead, with send_message or ask_peer.");
            }
        }
        found = new TranscriptLocator.Found(checked.file(), found.source());
        Tail tail;
        long size;
        Instant modified;
        try {
            size = Files.size(found.file());
            modified = Files.getLastModifiedTime(found.file()).toInstant();
            tail = format.tail(found.file(), limit, tools);
        } catch (IOException | RuntimeException e) {
            located.remove(key);
            return new TranscriptAttempt.Failed("transcript-unreadable", "the transcript " + found.file() + " could not be read: "
                    + e.getMessage(), "It may have been rotated or moved while it was read; try again.");
        }
        TailBudget.Fitted fitted = TailBudget.fit(tail.messages(), maxBytes);
        List<Views.TranscriptMessageView> messages = new ArrayList<>();
        for (TranscriptMessage m : fitted.kept()) messages.add(view(m, timestamps));
        return new TranscriptAttempt.Read(new Views.TranscriptFileView(found.file().toString(), found.source(), format.wireName(),
                size, modified.toString(), Math.max(0, Duration.between(modified, clock.instant()).toSeconds())),
                messages, (int) Math.min(Integer.MAX_VALUE, tail.estimatedTotal()), tail.totalExact(),
                tail.more() || fitted.kept().size() < tail.messages().size(), fitted.cut(), tail.skippedLines());
    }

    /** A transcript's latest tool call as last read: recomputed only when the file's size or time changes. */
    private record LastRead(Path file, long size, Instant modified, LastTool call) {}

    private final Map<String, LastRead> lastTools = new ConcurrentHashMap<>();

    /**
     * The agent's latest tool call, from the end of its transcript (its input cut to 160 characters, the time when the
     * client recorded it), for the cockpit; null when there is no transcript or no tool call in its newest messages.
     * Never throws: the cockpit draws without it.
     */
    public LastTool lastTool(Agent a) {
        try {
            TranscriptFormat format = format(a);
            if (format == null) return null;
            String key = a.agentId() + "|" + a.sessionId();
            Path file = a.transcriptPath() != null ? Path.of(a.transcriptPath()) : located.get(key);
            Map<String, String> env = transcripts.envOf(a);
            if (file == null) {
                var where = TranscriptLocator.locate(format, a.sessionId(), a.cwd(), null, env);
                if (where.found().isEmpty()) return null;
                file = where.found().get().file();
                located.put(key, file);
            }
            file = transcripts.check(format, env, file).file();
            if (file == null) return null;
            long size = Files.size(file);
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            LastRead known = lastTools.get(key);
            if (known != null && known.file().equals(file) && known.size() == size && known.modified().equals(modified)) return known.call();
            LastTool call = null;
            List<TranscriptMessage> newest = format.tail(file, 8, true).messages();
            for (int i = newest.size() - 1; i >= 0 && call == null; i--) {
                TranscriptMessage m = newest.get(i);
                if (m.toolCalls().isEmpty()) continue;
                ToolCall c = m.toolCalls().getLast();
                call = new LastTool(c.name(), c.input().length() > 160 ? c.input().substring(0, 160) + "…" : c.input(), m.timestamp(),
                        Boolean.TRUE.equals(c.isError()) ? Boolean.TRUE : null);
            }
            lastTools.put(key, new LastRead(file, size, modified, call));
            return call;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Views.TranscriptMessageView view(TranscriptMessage m, boolean timestamps) {
        List<Views.ToolCallView> calls = null;
        if (!m.toolCalls().isEmpty()) {
            calls = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) calls.add(new Views.ToolCallView(c.name(), c.input(), c.result(), c.isError()));
        }
        return new Views.TranscriptMessageView(m.role(), m.text(), timestamps && m.timestamp() != null ? m.timestamp().toString() : null, calls);
    }

    /** The agent's client's transcript format, or null for a client huddle cannot read. */
    private TranscriptFormat format(Agent a) {
        return clients.of(a.clientType()).flatMap(AgentClient::transcript).orElse(null);
    }

    private static String label(Agent a) {
        return a.handle() + (a.name() == null ? "" : " (" + a.name() + ")");
    }
}
