package dev.huddle.protocol.cockpit;

/**
 * An agent's busy/idle state as reports show it.
 *
 * @param state busy, idle or unknown
 * @param ageS  seconds since it changed (status reports; the cockpit leaves ages to the client)
 */
public record ActivityState(String state, Long ageS) {}
