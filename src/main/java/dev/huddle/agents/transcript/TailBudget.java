package dev.huddle.agents.transcript;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fits messages into a byte budget newest first: the newest messages are kept whole, the oldest one that still
 * partly fits keeps its end (the start is replaced by a marker saying how much was cut), and older ones are left
 * out. The newest message is always kept, cut to the budget if it must be.
 */
public final class TailBudget {
    private TailBudget() {}

    /** A message cut to less than this is left out rather than kept as a stub (the newest is always kept). */
    static final int MIN_PARTIAL_BYTES = 96;

    /** @param kept oldest first; {@code cut} says whether anything was left out or shortened */
    public record Fitted(List<TranscriptMessage> kept, boolean cut, int bytes) {}

    public static Fitted fit(List<TranscriptMessage> oldestFirst, int maxBytes) {
        List<TranscriptMessage> out = new ArrayList<>();
        int used = 0;
        boolean cut = false;
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            TranscriptMessage m = oldestFirst.get(i);
            int size = m.bytes();
            if (used + size <= maxBytes) {
                out.add(m);
                used += size;
                continue;
            }
            cut = true;
            int room = maxBytes - used - (size - Utf8.length(m.text())); // what is left for its text
            if (out.isEmpty() && room < 0) { // the newest message's tool calls alone are too many: keep the newest calls
                TranscriptMessage fewer = newestCalls(m, maxBytes);
                out.add(fewer);
                used += fewer.bytes();
            } else if (out.isEmpty() || room >= MIN_PARTIAL_BYTES) {
                TranscriptMessage shortened = m.withText(headCut(m.text(), Math.max(0, room)));
                out.add(shortened);
                used += shortened.bytes();
            }
            break;
        }
        Collections.reverse(out);
        return new Fitted(out, cut, used);
    }

    /** The message with its text cut away and only the newest tool calls that fit in {@code maxBytes}. */
    private static TranscriptMessage newestCalls(TranscriptMessage m, int maxBytes) {
        List<ToolCall> calls = new ArrayList<>();
        int used = 0;
        for (int i = m.toolCalls().size() - 1; i >= 0; i--) {
            int b = m.toolCalls().get(i).bytes();
            if (used + b > maxBytes && !calls.isEmpty()) break;
            calls.addFirst(m.toolCalls().get(i));
            used += b;
        }
        String note = "…[" + (m.toolCalls().size() - calls.size()) + " earlier tool calls and " + Utf8.length(m.text()) + " bytes of text cut]";
        return new TranscriptMessage(m.role(), note, m.timestamp(), calls);
    }

    /** The end of {@code text} within {@code maxBytes}, after a marker {@code …[+N bytes cut]}. */
    static String headCut(String text, int maxBytes) {
        int total = Utf8.length(text);
        if (total <= maxBytes) return text;
        String marker = "…[+" + total + " bytes cut] ";
        int room = Math.max(0, maxBytes - Utf8.length(marker));
        String end = Utf8.tail(text, room);
        return "…[+" + (total - Utf8.length(end)) + " bytes cut] " + end;
    }
}
