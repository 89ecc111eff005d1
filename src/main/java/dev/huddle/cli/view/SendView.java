package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.tools.Views;

import java.util.ArrayList;
import java.util.List;

/** What {@code huddle send} prints for a send receipt (the demo shows the same): one line per recipient. */
public final class SendView {
    private SendView() {}

    public static String render(SendReceipt result, boolean color) {
        return render(result, new TerminalStyle(color));
    }

    /** One line per recipient: message id, who, and whether it is online. */
    public static String render(SendReceipt result, TerminalStyle style) {
        List<String> who = new ArrayList<>();
        int w = 0;
        for (Views.SentView m : result.messages()) {
            String name = Printable.line(m.targetName() == null ? String.valueOf(m.targetHandle()) : m.targetName() + " (" + m.targetHandle() + ")");
            who.add(name);
            w = Math.max(w, name.length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < result.messages().size(); i++) {
            Views.SentView m = result.messages().get(i);
            String name = who.get(i);
            b.append(style.dim(Printable.line(String.valueOf(m.messageId())))).append("  → ")
                    .append(style.bold(name)).append(" ".repeat(w - name.length())).append("  ")
                    .append(Boolean.TRUE.equals(m.targetOnline()) ? style.green("online") : "offline: queued until it returns").append('\n');
        }
        return b.toString();
    }
}
