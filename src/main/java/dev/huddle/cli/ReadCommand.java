package dev.huddle.cli;

import dev.huddle.cli.view.NextSteps;
import dev.huddle.cli.view.ReadView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.SessionRead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code huddle read <agent>}: what {@code read_session} shows an agent, for the human: the agent's newest transcript
 * messages, or the screen of its own tmux pane. The human reads agents that opted out of being read by peers too
 * (the result says so): they are the user's own sessions.
 */
@Command(name = "read", sortOptions = false,
        header = "Show what an agent of this project has been saying (its transcript or pane).",
        description = {"Show what an agent of this project and its user have been saying: the newest messages of its",
                "transcript (Claude Code, Codex, Gemini CLI), or the screen of the tmux pane it runs in. AGENT is a session id,",
                "a handle, an id prefix (8+ characters), a name, or a tmux session name."},
        footer = {"", "Exit codes: 0 shown, 1 refused (unknown or ambiguous agent, nothing to read), 2 usage, 3 no hub running.", "",
                "Examples:", "  huddle read reviewer", "  huddle read 6f1c2a9e -n 5 --tools --timestamps",
                "  huddle read builder --mode pane", "  huddle read reviewer --json | jq -r '.messages[].text'"})
final class ReadCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent to read.")
    String target;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (the transcript if found, else the pane), transcript or pane (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "The newest N messages, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--max-bytes", paramLabel = "B", defaultValue = "24000",
            description = "At most B bytes of text, newest first, 256 to 1000000 (default ${DEFAULT-VALUE}).")
    int maxBytes;

    @Option(names = "--tools", description = "Show tool calls and the start of their results.")
    boolean tools;

    @Option(names = "--timestamps", description = "Show when each message was recorded.")
    boolean timestamps;

    @Option(names = "--pane-lines", paramLabel = "N", defaultValue = "240", description = "Pane mode: lines of history, 20 to 5000 (default ${DEFAULT-VALUE}).")
    int paneLines;

    @Option(names = "--pane-max-chars", paramLabel = "N", defaultValue = "20000",
            description = "Pane mode: at most N characters, the newest, 500 to 200000 (default ${DEFAULT-VALUE}).")
    int paneMaxChars;

    @Mixin
    ProjectOption project;

    @Option(names = "--json", description = "The result as one JSON object.")
    boolean json;

    @Override
    protected String usageLine() {
        return "Usage: huddle read [--mode auto|transcript|pane] [-n N] [--tools] [--timestamps] [--json] AGENT";
    }

    @Override
    protected int run() {
        if (!List.of("auto", "transcript", "pane").contains(mode)) throw usage("--mode must be auto, transcript or pane");
        if (limit < 1 || limit > 1000) throw usage("-n must be between 1 and 1000");
        if (maxBytes < 256 || maxBytes > 1_000_000) throw usage("--max-bytes must be between 256 and 1000000");
        if (paneLines < 20 || paneLines > 5000) throw usage("--pane-lines must be between 20 and 5000");
        if (paneMaxChars < 500 || paneMaxChars > 200_000) throw usage("--pane-max-chars must be between 500 and 200000");
        SessionRead result;
        try {
            result = hub().replyWithin(15_000).call(new ControlRequest.Read(target, mode, (long) limit, (long) maxBytes, timestamps, tools,
                    (long) paneLines, (long) paneMaxChars, project.path()));
        } catch (ControlRefusedException e) {
            throw refused(e.error());
        } catch (HubConnector.HubUnavailableException e) {
            throw new ExitException(ExitCodes.HUB_NOT_RUNNING,
                    "no hub is running, so no agent is registered to read (start an agent, or run `huddle doctor`).");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        if (json) printJson(result);
        else out().print(ReadView.render(result, TerminalStyle.detect(), ZoneId.systemDefault(), LocalDate.now()));
        return ExitCodes.OK;
    }

    /** Exit 1: the refusal as JSON on stdout with --json; on stderr what happened and what to type next. */
    private ExitException refused(ControlError e) {
        if (json) out().println(ControlReply.refused(e));
        List<String> next = NextSteps.after(e, "huddle read", project.path());
        return new ExitException(ExitCodes.FAILURE, (e.message() == null ? "refused" : e.message()) + " (" + e.code() + ")",
                next.toArray(String[]::new));
    }
}
