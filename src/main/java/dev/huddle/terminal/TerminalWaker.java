package dev.huddle.terminal;

/**
 * Types a wake text into the terminal that hosts an agent and submits it. Implementations never throw: every
 * outcome, including missing tools and timeouts, is a {@link WakeAttempt}. They make no policy decisions (busy,
 * debounce, rate limits): the caller gates first, the waker only refuses what is unsafe to type.
 */
public interface TerminalWaker {
    WakeAttempt wake(TerminalTarget target, String text);
}
