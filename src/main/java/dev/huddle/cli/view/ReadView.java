package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.SessionRead;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.tools.Views;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code huddle read} prints for a {@code read} result (the dashboard's transcript view shows the same). Everything
 * in it came from a transcript, a pane or a peer, so every field goes through {@link Printable}.
 */
public final class ReadView {
    private ReadView() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public static String render(SessionRead r, boolean color) {
        return render(r, new TerminalStyle(color), ZoneId.systemDefault(), LocalDate.now());
    }

    /** The result as the human reads it: who, where from, then each message under a rule, or the pane's text. */
    public static String render(SessionRead read, TerminalStyle style, ZoneId zone, LocalDate today) {
        Views.ReadSessionResult r = read.result();
        StringBuilder b = new StringBuilder();
        Views.ReadPeerView peer = r.peer();
        String handle = peer == null ? null : peer.handle();
        String who = peer == null || peer.name() == null ? String.valueOf(handle) : peer.name() + " (" + handle + ")";
        b.append(style.bold(p(who))).append(" · ").append(p(peer == null ? null : peer.clientType())).append(" · ")
                .append(peer != null && peer.online() ? "online" : "offline");
        if (peer != null && peer.activity() != null && !"unknown".equals(peer.activity())) b.append(" · ").append(p(peer.activity()));
        b.append('\n');
        if (r.note() != null) b.append(style.dim("note: " + p(r.note()))).append('\n');
        if (r.clamped() != null && !r.clamped().isEmpty()) b.append(style.dim("clamped: " + p(Json.write(r.clamped())))).append('\n');
        if ("pane".equals(r.mode())) {
            pane(b, r, style);
            return b.toString();
        }
        Views.TranscriptFileView t = r.transcript();
        b.append(style.dim("transcript " + p(t == null ? null : t.path()) + " ("
                + (t != null && "reported".equals(t.source()) ? "reported by its hooks" : "computed")
                + ", " + (t == null ? "?" : size(t.sizeBytes())) + ", modified " + age(t == null ? null : t.ageS()) + " ago)")).append('\n');
        List<Views.TranscriptMessageView> messages = r.messages() == null ? List.of() : r.messages();
        String of = Boolean.TRUE.equals(r.totalMessagesExact()) ? "of " + r.totalMessages() : "of about " + r.totalMessages();
        b.append(style.dim(messages.isEmpty() ? "no messages yet" : "the last " + messages.size() + " " + of + " messages"
                + (Boolean.TRUE.equals(r.bytesTruncated()) ? ", cut to fit the byte budget" : ""))).append('\n');
        for (Views.TranscriptMessageView m : messages) {
            b.append('\n').append(style.bold("── " + p(m.role())));
            if (m.timestamp() != null) b.append("  ").append(style.dim(when(m.timestamp(), zone, today)));
            b.append('\n');
            String text = Printable.lines(m.text());
            if (!text.isEmpty()) b.append(text).append(text.endsWith("\n") ? "" : "\n");
            for (Views.ToolCallView call : m.toolCalls() == null ? List.<Views.ToolCallView>of() : m.toolCalls()) {
                b.append("   ▸ ").append(p(call.name())).append("  ").append(Printable.lines(String.valueOf(call.input()))).append('\n');
                if (call.result() != null) {
                    b.append("     → ").append(Printable.lines(call.result())).append(Boolean.TRUE.equals(call.isError()) ? " (error)" : "").append('\n');
                }
            }
        }
        return b.toString();
    }

    private static void pane(StringBuilder b, Views.ReadSessionResult r, TerminalStyle style) {
        Views.PaneView pane = r.pane();
        if (r.fallbackReason() != null) b.append(style.dim(p(r.fallbackReason()))).append('\n');
        b.append(style.dim("tmux pane " + p(pane == null ? null : pane.pane()) + " of session " + p(pane == null ? null : pane.tmuxSession())
                + " (window " + p(pane == null ? null : pane.window()) + "), last " + (pane == null ? null : pane.lines()) + " lines of history"
                + (pane == null || pane.truncatedChars() == null ? "" : ", " + pane.truncatedChars() + " earlier characters cut"))).append('\n');
        b.append(style.dim("─".repeat(40))).append('\n');
        String text = Printable.lines(pane == null ? null : pane.text());
        b.append(text);
        if (!text.endsWith("\n")) b.append('\n');
    }

    private static String when(String iso, ZoneId zone, LocalDate today) {
        try {
            ZonedDateTime t = Instant.parse(iso).atZone(zone);
            return t.toLocalDate().equals(today) ? t.format(TIME) : t.format(DAY_TIME);
        } catch (RuntimeException e) {
            return p(iso);
        }
    }

    /** One line of text from elsewhere, made harmless (null shows as null, as the rest of the line does). */
    private static String p(Object s) {
        return Printable.line(String.valueOf(s));
    }

    private static String size(long v) {
        return v < 10_000 ? v + " B" : v < 10_000_000 ? v / 1000 + " kB" : v / 1_000_000 + " MB";
    }

    private static String age(Long s) {
        if (s == null) return "?";
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
    }
}
