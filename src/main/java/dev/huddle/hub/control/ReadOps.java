package dev.huddle.hub.control;

import dev.huddle.hub.reading.ReadSessions;

import dev.huddle.core.HuddleError;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.SessionRead;

/** {@code read} ({@code huddle read}): what read_session shows an agent, for the human (who also reads agents that opted out). */
final class ReadOps {
    private final ReadSessions reads;
    private final Projects projects;

    ReadOps(ReadSessions reads, Projects projects) {
        this.reads = reads;
        this.projects = projects;
    }

    SessionRead read(ControlRequest.Read r, String cwd) {
        String project = projects.of(r.project(), cwd);
        try {
            return new SessionRead(reads.read(null, project, new ReadSessions.Request(r.target(), r.mode(), r.limit(), r.maxBytes(),
                    r.includeTimestamps(), r.includeTools(), r.paneLines(), r.paneMaxChars())), project);
        } catch (HuddleError e) {
            throw new ControlFailure(new ControlError(e.code(), e.getMessage(), e.hint(), e.details()));
        }
    }
}
