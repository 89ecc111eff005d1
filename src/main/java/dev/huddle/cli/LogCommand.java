package dev.huddle.cli;

import dev.huddle.cli.view.LogLines;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.LogPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * {@code huddle log}: the project's messages, oldest first, one readable line each (or JSON lines). With
 * {@code --follow} it keeps printing messages as they are committed: each request blocks in the hub until there is
 * news (push, no polling loop), then asks again from the last sequence number it printed.
 */
@Command(name = "log", sortOptions = false,
        header = "Show the messages of this project, oldest first.",
        description = {"Show the messages of this project: time, sender → recipient, kind (? ask, ↩ reply, work",
                "open/done/blocked), how it was delivered (tool, ask_reply, hook) or pending, and the first line of the body."},
        footer = {"", "Examples:", "  huddle log -n 20", "  huddle log --grep \"retry queue\"", "  huddle log --follow --json | jq .body"})
final class LogCommand extends BaseCommand {
    /** How long one follow request waits in the hub for news before asking again. */
    static final long FOLLOW_WAIT_MS = 30_000;
    /** How long a follower tries to reach the hub again after it went away (a restart or handover), before giving up. */
    static final long RECONNECT_MS = 10_000;

    @Mixin
    ScopeOptions scope;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new messages as they are sent (Ctrl-C stops).")
    boolean follow;

    @Option(names = "--grep", paramLabel = "TEXT", description = "Only messages whose body contains TEXT (full-text search, as a phrase).")
    String grep;

    @Option(names = "--json", description = "One JSON object per message and line.")
    boolean json;

    @Option(names = "-n", paramLabel = "N", description = "Show the last N messages (default ${DEFAULT-VALUE}).", defaultValue = "50")
    int limit;

    @Override
    protected int run() {
        if (limit < 1 || limit > 1000) throw usage("-n must be between 1 and 1000");
        scope.check(this);
        TerminalStyle style = json ? new TerminalStyle(false) : TerminalStyle.detect();
        Integer width = json ? null : TerminalStyle.width();
        String text = grep != null && !grep.isBlank() ? grep : null;
        LogPage page;
        try {
            page = hub().startingHub().call(new ControlRequest.Log(scope.project(), scope.all(), text, 0, limit, 0));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        print(page, style, width);
        if (page.messages().isEmpty() && !json && !follow) {
            String where = scope.all() ? "any project" : String.valueOf(page.projectRoot());
            out().println(Printable.line(text != null ? "no message in " + where + " matches \"" + grep + "\"" : "no messages yet in " + where));
        }
        out().flush();
        if (!follow) return ExitCodes.OK;

        // Never starts a hub: a follower must not bring back a hub the user stopped.
        HubClient follower = hub().replyWithin(FOLLOW_WAIT_MS + 10_000);
        long last = page.lastSeq();
        long unreachableSince = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                page = follower.call(new ControlRequest.Log(scope.project(), scope.all(), text, last, 1000, FOLLOW_WAIT_MS));
                unreachableSince = 0;
            } catch (IOException e) {
                long now = System.currentTimeMillis();
                if (unreachableSince == 0) unreachableSince = now;
                if (now - unreachableSince > RECONNECT_MS) {
                    throw new ExitException(ExitCodes.FAILURE, "the hub went away (" + e.getMessage() + "); stopped following");
                }
                HubConnector.sleep(250); // the hub is restarting (handover): try again shortly
                continue;
            }
            print(page, style, width);
            out().flush();
            last = Math.max(last, page.lastSeq());
        }
        return ExitCodes.OK;
    }

    private void print(LogPage page, TerminalStyle style, Integer width) {
        for (LogPage.Entry row : page.messages()) {
            if (json) printJson(row);
            else out().println(LogLines.line(row, style, width, scope.all()));
        }
    }
}
