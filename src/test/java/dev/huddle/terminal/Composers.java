package dev.huddle.terminal;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.ClientType;

import java.time.Duration;

/** The composers the clients' packages describe, for the terminal tests. */
final class Composers {
    private Composers() {}

    static Composer of(ClientType client) {
        return AgentClients.installed().of(client).map(AgentClient::composer).orElse(Composer.UNKNOWN);
    }

    /** The same composer with a shorter wait before Enter (unit tests against a scripted terminal). */
    static Composer withGap(Composer c, Duration gap) {
        return new Composer(c.client(), c.markers(), c.placeholders(), c.cursorInComposer(), c.paste(), gap);
    }
}
