package dev.huddle.hub.control;

import dev.huddle.hub.reading.ReadSessions;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.SessionRead;

/**
 * {@code read} ({@code huddle read}): what read_session shows an agent, for the human (who also reads agents that opted
 * out), or for the agent whose process tree runs the command (who does not).
 */
final class ReadOps {
    private final ReadSessions reads;
    private final Projects projects;

    ReadOps(ReadSessions reads, Projects projects) {
        this.reads = reads;
        this.projects = projects;
    }

    SessionRead read(ControlRequest.Read r, String cwd) {
        return read(null, projects.of(r.project(), cwd), r);
    }

    /** huddle read run by agent {@code me} (inside its process tree): what read_session shows it, in its own project. */
    SessionRead readFor(Agent me, ControlRequest.Read r) {
        return read(me, me.projectRoot(), r);
    }

    private SessionRead read(Agent me, String project, ControlRequest.Read r) {
        try {
            return new SessionRead(reads.read(me, project, new ReadSessions.Request(r.target(), r.mode(), r.limit(), r.maxBytes(),
                    r.includeTimestamps(), r.includeTools(), r.paneLines(), r.paneMaxChars())), project);
        } catch (HuddleError e) {
            throw new ControlFailure(new ControlError(e.code(), e.getMessage(), e.hint(), e.details()));
        }
    }
}
