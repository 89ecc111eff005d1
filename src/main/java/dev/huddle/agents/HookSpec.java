package dev.huddle.agents;

/**
 * One hook huddle installs: the client's own event name, the hub endpoint it calls, what it means, and whether its
 * output carries messages.
 *
 * @param client   which client
 * @param event    the client's event name, verbatim (the key in its settings)
 * @param endpoint the last segment of the hook URL, {@code /hooks/<client>/<endpoint>}: the event name, except for a
 *                 second hook on the same event (the Claude Code {@code Stop} rewake waiter)
 * @param meaning  what huddle does on it
 * @param delivers whether waiting messages are delivered in its output
 * @param matcher  the tool names it runs for (the client's matcher syntax), or null for every occurrence
 */
public record HookSpec(HookClient client, String event, String endpoint, HookEvent meaning, boolean delivers, String matcher) {
    public HookSpec(HookClient client, String event, HookEvent meaning, boolean delivers) {
        this(client, event, event, meaning, delivers, null);
    }

    public HookSpec(HookClient client, String event, String endpoint, HookEvent meaning, boolean delivers) {
        this(client, event, endpoint, meaning, delivers, null);
    }

    /** A hook that runs only for the tools {@code matcher} names. */
    public static HookSpec matching(HookClient client, String event, HookEvent meaning, boolean delivers, String matcher) {
        return new HookSpec(client, event, event, meaning, delivers, matcher);
    }

    /** Runs in the background and wakes the idle agent by exiting 2 (Claude Code {@code asyncRewake}). */
    public boolean rewake() {
        return meaning == HookEvent.IDLE_WAIT;
    }
}
