package dev.huddle.cli;

import dev.huddle.cli.view.ClaimsView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.control.ClaimList;
import dev.huddle.protocol.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code huddle claims}: the project's path claims, explicit (claim_paths) and implicit (files being edited). */
@Command(name = "claims", sortOptions = false,
        header = "List the path claims of this project and the files being edited.",
        description = {"List the path claims of this project: what each agent claimed with claim_paths (exclusive or",
                "shared, why, until when) and the files it is editing right now (implicit claims: an edit marks",
                "a file as the editor's for a few minutes after each edit; see docs/tools.md)."},
        footer = {"", "Exit codes: 0 shown, 1 failed, 2 usage, 3 no hub running (then nobody holds anything).",
                "", "Examples:", "  huddle claims", "  huddle claims --all --json | jq '.projects[].claims[].path'"})
final class ClaimsCommand extends BaseCommand {
    @Mixin
    ScopeOptions scope;

    @Option(names = "--json", description = "The hub's answer as one JSON object.")
    boolean json;

    @Override
    protected int run() {
        scope.check(this);
        ClaimList r = callRunning(new ControlRequest.Claims(scope.project(), scope.all()),
                "no hub is running, so no agent holds anything (claims end with their holder).");
        if (json) printJson(r);
        else out().print(ClaimsView.render(r, TerminalStyle.detect()));
        return ExitCodes.OK;
    }
}
