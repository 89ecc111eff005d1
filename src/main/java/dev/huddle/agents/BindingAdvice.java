package dev.huddle.agents;

import dev.huddle.protocol.tools.Tools;

/**
 * What an agent that huddle could not bind to a session should do to bind itself ({@code get_my_session}'s
 * {@code next_step}): an instruction, and the shell command that prints its session id, if its client has one.
 */
public record BindingAdvice(String instruction, String command) {
    /** For a client huddle does not know: claim an id of its own. */
    public static final BindingAdvice UNKNOWN_CLIENT = new BindingAdvice("Call " + Tools.CLAIM_SESSION.name()
            + " with your client's own session id. If your client has none, use a UUID you generate once and keep for this session.", null);

    /** "Run the shell command below …, then call claim_session with its output as session_id." */
    public static String runThenClaim(String how) {
        return "Run the shell command below" + how + ", then call " + Tools.CLAIM_SESSION.name() + " with its output as session_id.";
    }
}
