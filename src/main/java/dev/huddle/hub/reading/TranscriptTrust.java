package dev.huddle.hub.reading;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.core.identity.Agent;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Callers;
import dev.huddle.hub.identity.FrontConnection;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.store.AgentStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Which transcript files huddle reads. A hook's {@code transcript_path} is the caller's word, so a path is recorded
 * only when it lies under the transcript roots of the agent's client ({@link TranscriptFormat#roots}: Claude Code's
 * {@code projects/}, Codex's {@code sessions/} and {@code archived_sessions/}, Gemini's {@code tmp/}) for the agent's
 * home, and a file is read only when its real path (symlinks resolved) is a regular file under the real path of such a
 * root, owned by the hub's user. An agent's opt-out ({@code readable: false}) applies to its file whoever reports it.
 */
public final class TranscriptTrust {
    private static final Logger LOG = Logger.getLogger(TranscriptTrust.class.getName());

    private final AgentRegistry registry;
    private final AgentStore agents;
    private final Map<String, String> hubEnv;
    private final UserPrincipal self;

    /** @param hubEnv the hub's environment: where transcripts are when the agent's own is not known */
    public TranscriptTrust(AgentRegistry registry, AgentStore agents, Map<String, String> hubEnv) {
        this.registry = registry;
        this.agents = agents;
        this.hubEnv = Map.copyOf(AgentEnv.kept(hubEnv));
        this.self = Callers.hubUser();
    }

    /** Where the agent's client keeps its files: the hub's own variables, then what its front last reported (stored), then its live fronts. */
    Map<String, String> envOf(Agent a) {
        Map<String, String> env = new HashMap<>(hubEnv);
        env.putAll(agents.readEnv(a.agentId()));
        for (FrontConnection f : registry.fronts()) {
            if (f.closed() || !a.agentId().equals(f.fallbackAgentId())) continue;
            env.putAll(AgentEnv.kept(f.hello().env()));
        }
        return env;
    }

    /**
     * The path a hook of {@code client} reported for {@code agent} (the agent the hook acts for), if it may be recorded:
     * absolute, already normal (no {@code .} or {@code ..} parts), a {@code .json} or {@code .jsonl} name, under one of
     * the client's roots for the hub's home or the one the agent's front reported. Null otherwise, so the agent keeps
     * what it had. Looks at no file: a client reports the path before it writes the file. Asked only for a path that
     * differs from the agent's recorded one ({@link dev.huddle.hub.identity.TranscriptVetting}).
     */
    public String vetted(AgentClient client, Agent agent, String path) {
        if (path == null || path.isBlank()) return null;
        TranscriptFormat format = client.transcript().orElse(null);
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            return null;
        }
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        boolean shaped = p.isAbsolute() && p.normalize().toString().equals(path) && (name.endsWith(".jsonl") || name.endsWith(".json"));
        if (format != null && shaped) {
            for (Map<String, String> e : List.of(envOf(agent), hubEnv)) {
                for (Path root : format.roots(e)) if (p.startsWith(root.normalize())) return path;
            }
        }
        LOG.fine(() -> "a " + client.id().id() + " hook of " + agent.handle() + " reported the transcript " + path
                + ", which is not under that client's transcript directories: not recorded");
        return null;
    }

    /** A file that may be read (its real path), or why not. */
    record Checked(Path file, String refusal) {}

    /**
     * Whether {@code file} may be read as a transcript of {@code format} for an agent with environment {@code env}: its
     * real path must be a regular file owned by the hub's user under the real path of one of the format's roots.
     */
    Checked check(TranscriptFormat format, Map<String, String> env, Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException | RuntimeException e) {
            return new Checked(null, file + " is gone");
        }
        try {
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) return new Checked(null, file + " is not a regular file");
            if (self != null && !self.equals(Files.getOwner(real, LinkOption.NOFOLLOW_LINKS))) {
                return new Checked(null, file + " belongs to another user");
            }
        } catch (IOException | RuntimeException e) {
            return new Checked(null, file + " cannot be looked at");
        }
        for (Map<String, String> e : List.of(env, hubEnv)) {
            for (Path root : format.roots(e)) {
                try {
                    if (real.startsWith(root.toRealPath())) return new Checked(real, null);
                } catch (IOException | RuntimeException missing) {
                    // no such root on this machine
                }
            }
        }
        return new Checked(null, file + (real.equals(file) ? "" : " (really " + real + ")") + " is not under " + format.wireName()
                + "'s transcript directories " + format.roots(env));
    }

    /**
     * The agent other than {@code reading} that opted out of being read whose transcript {@code real} is: by the path its
     * hooks recorded, or by its session id in the file's name (the clients name their files by it).
     */
    Optional<Agent> optedOutOwner(Path real, Agent reading) {
        String name = real.getFileName() == null ? "" : real.getFileName().toString();
        for (Agent a : agents.listAll(true)) {
            if (a.agentId().equals(reading.agentId()) || agents.readable(a.agentId())) continue;
            if (a.sessionId() != null && a.sessionId().length() >= 8 && name.contains(a.sessionId())) return Optional.of(a);
            if (a.transcriptPath() != null && sameFile(real, a.transcriptPath())) return Optional.of(a);
        }
        return Optional.empty();
    }

    private static boolean sameFile(Path real, String recorded) {
        try {
            return real.equals(Path.of(recorded).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
