package dev.huddle.cli;

import dev.huddle.cli.view.NextSteps;
import dev.huddle.cli.view.SendView;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.core.HuddleError;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.SendReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code huddle send}: a message from the human to one agent of the project (or, with {@code --all}, to every
 * online one). It arrives with origin {@code operator} and has no reply target: agents answer the human in their
 * normal output. Exit 0 when sent, 1 when refused (the hub's reason is printed) or nothing was sent, 2 on usage errors.
 */
@Command(name = "send", sortOptions = false,
        header = "Send a message to an agent of this project, as you (the human).",
        description = {"Send a message to an agent of this project, as the human operator (origin \"operator\"; agents",
                "read it with read_my_messages and cannot reply_to_message it). TARGET is a session id, a handle,",
                "an id prefix (8+ characters), an agent's name, or a tmux session name. TEXT \"-\" reads the text from stdin."},
        footer = {"", "Examples:", "  huddle send reviewer please look at PR 12 first",
                "  huddle send --all stop after your current step: we are releasing",
                "  git diff | huddle send builder -"})
final class SendCommand extends BaseCommand {
    @Option(names = {"-a", "--all"}, description = "Every online agent of the project (no TARGET then).")
    boolean all;

    @Mixin
    ProjectOption project;

    @Option(names = "--json", description = "Print the hub's result as JSON.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "TARGET TEXT", description = "The recipient (unless --all), then the message text.")
    List<String> words = new ArrayList<>();

    /** Reads the text for {@code -}; replaced in tests. */
    InputStream stdin = System.in;

    @Override
    protected String usageLine() {
        return "Usage: huddle send [--project PATH] [--json] TARGET TEXT...   or   huddle send --all TEXT...";
    }

    @Override
    protected int run() {
        List<String> rest = new ArrayList<>(words);
        String target = null;
        if (!all) {
            if (rest.isEmpty()) throw usage("name a TARGET (or use --all) and the message TEXT");
            target = rest.removeFirst();
            if (target.strip().equals("*")) {
                all = true; // "*" means everyone, as in send_message
                target = null;
            }
        }
        if (rest.isEmpty()) throw usage("no message TEXT (write it after the target, or \"-\" to read it from stdin)");
        String body;
        try {
            body = rest.size() == 1 && rest.getFirst().equals("-") ? readStdin() : String.join(" ", rest);
            if (body.isBlank()) throw usage("the message TEXT is empty");
            MessageRules.body(body); // the hub checks again; this catches what would not even fit in a request
        } catch (HuddleError e) {
            throw refused(new ControlError(e.code(), e.getMessage()));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, "cannot read stdin: " + e.getMessage());
        }
        SendReceipt result;
        try {
            result = hub().startingHub().call(new ControlRequest.Send(target, body, all, project.path()));
        } catch (ControlRefusedException e) {
            throw refused(e.error());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        if (json) printJson(result);
        else out().print(SendView.render(result, TerminalStyle.detect()));
        if (result.count() == 0) {
            throw new ExitException(ExitCodes.FAILURE, "no agent of " + result.projectRoot() + " is online; nothing was sent");
        }
        return ExitCodes.OK;
    }

    /** The text on stdin, without its final newline; refuses invalid UTF-8 and text that cannot be a message. */
    private String readStdin() throws IOException {
        int cap = 1 << 20;
        byte[] bytes = stdin.readNBytes(cap + 1);
        int n = bytes.length;
        // A final newline (echo, heredocs) is not part of the message.
        if (n > 0 && bytes[n - 1] == '\n') n--;
        if (n > 0 && bytes[n - 1] == '\r') n--;
        if (n > MessageRules.MAX_BODY_BYTES) {
            throw new HuddleError("body-too-large", "the text on stdin is " + (n > cap ? "more than 1 MiB" : n + " bytes")
                    + "; the limit is " + MessageRules.MAX_BODY_BYTES + " bytes of UTF-8",
                    "Shorten it, or write the details to a file in the repository and send its path.");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new HuddleError("invalid-argument", "the text on stdin is not valid UTF-8", "Send UTF-8 text.");
        }
    }

    /** Exit 1 for a refusal: the refusal as JSON on stdout with --json; on stderr what happened and what to type next. */
    private ExitException refused(ControlError e) {
        if (json) out().println(ControlReply.refused(e));
        String line = (e.message() == null ? "refused" : e.message()) + " (" + e.code() + ")";
        List<String> next = NextSteps.after(e, "huddle send" + (all ? " --all" : ""), project.path());
        return new ExitException(ExitCodes.FAILURE, line, next.toArray(String[]::new));
    }
}
