package dev.huddle.agents.setup;

/** A config file huddle refuses to edit, with what is wrong and what to do; nothing was written. */
public final class ConfigProblem extends Exception {
    public ConfigProblem(String message) {
        super(message);
    }
}
