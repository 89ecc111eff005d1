package dev.huddle.hub.reading;

import dev.huddle.protocol.tools.Views;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a read of another machine's agent asks its hub for (the request row's {@code params}), and what comes back when
 * it cannot be answered (the response of a {@code failed} row).
 *
 * @param project the reader's project: the owning hub resolves the target in it
 */
record RemoteRead(String project, String mode, Long limit, Long maxBytes, boolean timestamps, boolean tools, Long paneLines,
                  Long paneMaxChars) {
    /** Transcript text one answer carries at most, so that its JSON stays under the row's bound. */
    static final long MAX_BYTES = 160_000;
    /** Pane characters one answer carries at most. */
    static final long MAX_PANE_CHARS = 160_000;

    /** An answer's error: what the reader's tool or command shows. */
    record Failure(String code, String message, String hint) {}

    /** {@code asked}, or {@code max} when it asks for more ({@code clamped} says so). */
    static Long cap(String name, Long asked, long max, Map<String, Views.ClampedView> clamped) {
        if (asked == null || asked <= max) return asked;
        clamped.put(name, new Views.ClampedView(asked, max));
        return max;
    }

    /** {@code r} with {@code clamped} added to what it says was clamped, and {@code note} added to its note. */
    static Views.ReadSessionResult with(Views.ReadSessionResult r, Map<String, Views.ClampedView> clamped, String note) {
        Map<String, Views.ClampedView> all = new LinkedHashMap<>();
        if (r.clamped() != null) all.putAll(r.clamped());
        all.putAll(clamped);
        String n = note == null ? r.note() : r.note() == null ? note : r.note() + "; " + note;
        return new Views.ReadSessionResult(r.ok(), r.frame(), r.peer(), r.mode(), r.transcript(), r.messages(), r.count(),
                r.totalMessages(), r.totalMessagesExact(), r.countTruncated(), r.bytesTruncated(), r.skippedLines(), r.pane(),
                r.fallbackReason(), all.isEmpty() ? null : all, n);
    }
}
