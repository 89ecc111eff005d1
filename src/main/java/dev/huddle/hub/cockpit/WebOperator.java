package dev.huddle.hub.cockpit;

import dev.huddle.protocol.control.SendReceipt;

/** What the web page's two actions do, as the human (the hub's control service). */
public interface WebOperator {
    /** The project a directory belongs to (its git root), or the directory. */
    String projectOf(String directory);

    /** {@code huddle send}; throws {@link dev.huddle.protocol.control.ControlFailure} when refused. */
    SendReceipt send(String project, String target, String body);

    /** The cockpit's nudge; throws as {@link #send}. */
    SendReceipt nudge(String project, String target);
}
