package dev.huddle.agents;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.terminal.WakeAttempt;

import java.util.Map;

/**
 * A keystroke-free way a client offers to wake its idle session ({@link AgentClient#wakeRoutes()}), tried in the
 * client's order before its terminal. The hub runs the kinds it owns ({@link IdleWaitHook}); a {@link Command} is run
 * by the client's package.
 */
public sealed interface WakeRoute {
    /** The client's idle-wait hook ({@link HookEvent#IDLE_WAIT}, Claude Code's {@code asyncRewake}): the hub answers it with the mail. */
    WakeRoute IDLE_WAIT_HOOK = new IdleWaitHook();

    /** See {@link #IDLE_WAIT_HOOK}. */
    record IdleWaitHook() implements WakeRoute {}

    /** A command of the client's own that wakes a session ({@code codex queue}); never throws, every outcome is an attempt. */
    non-sealed interface Command extends WakeRoute {
        /** The route's name in wake records ({@code codex_queue}). */
        String name();

        /**
         * Whether a wake it fired stays with the client until the client takes it (a queue): the hub does not retry
         * such a wake, more would pile up.
         */
        boolean keepsTheWake();

        WakeAttempt wake(Recipient recipient, String text);
    }

    /**
     * Whom a command wakes: the agent process, its session id (null when not bound yet), and the environment its front
     * reported.
     */
    record Recipient(AgentProcess agent, String sessionId, Map<String, String> env) {
        public Recipient {
            env = env == null ? Map.of() : Map.copyOf(env);
        }
    }
}
