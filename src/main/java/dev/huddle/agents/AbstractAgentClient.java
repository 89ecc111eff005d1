package dev.huddle.agents;

import dev.huddle.agents.doctor.ClientDoctor;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.core.identity.ClientType;
import dev.huddle.terminal.Composer;

import java.util.List;
import java.util.Optional;

/**
 * What every client declares as data (its names, hooks, output schema, transcript format, settings, doctor and composer),
 * given once to the constructor; a client's package adds its rules by overriding the rest of {@link AgentClient}.
 */
public abstract class AbstractAgentClient implements AgentClient {
    private final HookClient id;
    private final String displayName;
    private final List<HookSpec> hooks;
    private final HookReplies replies;
    private final TranscriptFormat transcript;
    private final ClientSetup setup;
    private final ClientDoctor doctor;
    private final Composer composer;

    protected AbstractAgentClient(HookClient id, String displayName, List<HookSpec> hooks, HookReplies replies,
                                  TranscriptFormat transcript, ClientSetup setup, ClientDoctor doctor, Composer composer) {
        this.id = id;
        this.displayName = displayName;
        this.hooks = List.copyOf(hooks);
        this.replies = replies;
        this.transcript = transcript;
        this.setup = setup;
        this.doctor = doctor;
        this.composer = composer;
    }

    @Override
    public final HookClient id() {
        return id;
    }

    @Override
    public final ClientType type() {
        return id.clientType();
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final List<HookSpec> hooks() {
        return hooks;
    }

    @Override
    public final HookReplies replies() {
        return replies;
    }

    @Override
    public final Optional<TranscriptFormat> transcript() {
        return Optional.ofNullable(transcript);
    }

    @Override
    public final ClientSetup setup() {
        return setup;
    }

    @Override
    public final ClientDoctor doctor() {
        return doctor;
    }

    @Override
    public final Composer composer() {
        return composer;
    }
}
