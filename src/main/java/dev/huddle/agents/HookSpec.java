package dev.huddle.agents;

/**
 * One hook huddle installs: the client's own event name, what it means, and whether its output carries messages.
 *
 * @param client   which client
 * @param event    the client's event name, verbatim (also the last segment of the hook URL)
 * @param meaning  what huddle does on it
 * @param delivers whether waiting messages are delivered in its output
 */
public record HookSpec(HookClient client, String event, HookEvent meaning, boolean delivers) {}
