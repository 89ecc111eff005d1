package dev.huddle.cli;

import dev.huddle.core.HuddleError;
import dev.huddle.core.messaging.MessageRules;
import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code huddle send}: a message from the human to one agent of the project (or, with {@code --all}, to every
 * online one). It arrives with origin {@code operator} and has no reply target: agents answer the human in their
 * normal output. Exit 0 when sent, 1 when refused (the hub's reason is printed) or nothing was sent, 2 on usage errors.
 */
@Command(name = "send", sortOptions = false,
        description = {"Send a message to an agent of this project, as the human operator (origin \"operator\"; agents",
                "read it with read_my_messages and cannot reply_to_message it). TARGET is a session id, an id prefix",
                "(8+ characters), an agent's name, or a tmux session name. TEXT \"-\" reads the text from stdin."},
        footer = {"", "Examples:", "  huddle send reviewer please look at PR 12 first",
                "  huddle send --all stop after your current step: we are releasing",
                "  git diff | huddle send builder -"})
public final class SendCommand implements Callable<Integer> {
    @Option(names = {"-a", "--all"}, description = "Every online agent of the project (no TARGET then).")
    boolean all;

    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = "--json", description = "Print the hub's result as JSON.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "TARGET TEXT", description = "The recipient (unless --all), then the message text.")
    List<String> words = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Reads the text for {@code -}; replaced in tests. */
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> rest = new ArrayList<>(words);
        String target = null;
        if (!all) {
            if (rest.isEmpty()) return usage(err, "name a TARGET (or use --all) and the message TEXT");
            target = rest.removeFirst();
            if (target.strip().equals("*")) {
                all = true; // "*" means everyone, as in send_message
                target = null;
            }
        }
        if (rest.isEmpty()) return usage(err, "no message TEXT (write it after the target, or \"-\" to read it from stdin)");
        String body;
        if (rest.size() == 1 && rest.getFirst().equals("-")) {
            try {
                body = readStdin();
            } catch (HuddleError e) {
                return refused(out, err, e.code(), e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            } catch (IOException e) {
                err.println("huddle send: cannot read stdin: " + e.getMessage());
                return Cli.EXIT_FAILURE;
            }
        } else {
            body = String.join(" ", rest);
        }
        if (body.isBlank()) return usage(err, "the message TEXT is empty");
        try {
            MessageRules.body(body); // the hub checks again; this catches what would not even fit in a request
        } catch (HuddleError e) {
            return refused(out, err, e.code(), e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
        }

        Map<String, Object> args = new LinkedHashMap<>();
        if (target != null) args.put("target", target);
        args.put("body", body);
        args.put("all", all);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        Map<String, Object> reply;
        try {
            reply = Cli.client().reply("send", args, true, 10_000);
        } catch (IOException e) {
            err.println("huddle send: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            String code = String.valueOf(reply.get("error"));
            int exit = refused(out, err, code, String.valueOf(reply.getOrDefault("message", "")));
            if (code.equals("target-not-found") || code.equals("ambiguous-target")) {
                err.println("huddle ps lists this project's agents with their handles and names.");
            }
            return exit;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = reply.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (json) {
            out.println(MiniJson.write(result));
        } else {
            out.print(render(result, TerminalStyle.detect()));
        }
        out.flush();
        if (((Number) result.getOrDefault("count", 0)).intValue() == 0) {
            err.println("huddle send: no agent of " + result.get("project_root") + " is online; nothing was sent");
            return Cli.EXIT_FAILURE;
        }
        return 0;
    }

    /** What {@code huddle send} prints for a control {@code send} result (the demo shows the same). */
    public static String render(Map<String, Object> result, boolean color) {
        return render(result, new TerminalStyle(color));
    }

    /** One line per recipient: message id, who, and whether it is online. */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> result, TerminalStyle style) {
        List<Map<String, Object>> sent = (List<Map<String, Object>>) result.getOrDefault("messages", List.of());
        List<String> who = new ArrayList<>();
        int w = 0;
        for (Map<String, Object> m : sent) {
            String name = m.get("target_name") == null ? String.valueOf(m.get("target_handle"))
                    : m.get("target_name") + " (" + m.get("target_handle") + ")";
            who.add(name);
            w = Math.max(w, name.length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sent.size(); i++) {
            Map<String, Object> m = sent.get(i);
            boolean online = Boolean.TRUE.equals(m.get("target_online"));
            String name = who.get(i);
            b.append(style.dim(String.valueOf(m.get("message_id")))).append("  → ")
                    .append(style.bold(name)).append(" ".repeat(w - name.length())).append("  ")
                    .append(online ? style.green("online") : "offline: queued until it returns").append('\n');
        }
        return b.toString();
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

    private int refused(PrintWriter out, PrintWriter err, String code, String message) {
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ok", false);
            r.put("error", code);
            r.put("message", message);
            out.println(MiniJson.write(r));
            out.flush();
        }
        err.println("huddle send: refused: " + code + ": " + message);
        err.flush();
        return Cli.EXIT_FAILURE;
    }

    private int usage(PrintWriter err, String what) {
        err.println("huddle send: " + what);
        err.println("Usage: huddle send [--project PATH] [--json] TARGET TEXT...   or   huddle send --all TEXT...");
        err.flush();
        return Cli.EXIT_USAGE;
    }
}
