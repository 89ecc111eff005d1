package dev.huddle.agents.transcript;

import java.util.List;

/**
 * The newest messages of a transcript, read from its end.
 *
 * @param messages        oldest first, at most the limit asked for
 * @param more            older messages exist beyond {@code messages}
 * @param total           how many messages the session has, when that is known exactly (the scan reached the start
 *                        of the conversation, or the rest of the file was small enough to count); else null
 * @param estimatedTotal  {@code total} when known, else an estimate from the part scanned (at least {@code messages}
 *                        plus one when {@code more})
 * @param fileSize        the file's size when it was read
 * @param bytesScanned    how much of it was read, from the end
 * @param skippedLines    lines that were not records of the format (a torn last line, garbage, oversized lines)
 */
public record Tail(List<TranscriptMessage> messages, boolean more, Integer total, long estimatedTotal, long fileSize,
                   long bytesScanned, int skippedLines) {
    public Tail {
        messages = List.copyOf(messages);
    }

    public boolean totalExact() {
        return total != null;
    }

    /** Past this many unread bytes, the rest of a file is not scanned just to count its messages exactly. */
    public static final long COUNT_ALL_BELOW_BYTES = 1 << 20;

    static long estimate(int found, long fileSize, long scanned) {
        if (scanned <= 0) return found;
        return Math.max(found, Math.round((double) found * fileSize / scanned));
    }

    /**
     * Builds a tail from messages found newest first.
     *
     * @param newestFirst non-empty messages found, newest first (up to limit + 1 are kept)
     * @param found       how many non-empty messages were found in all (counting continues past the kept ones)
     * @param complete    the whole conversation was scanned, so {@code found} is exact
     */
    public static Tail of(List<TranscriptMessage> newestFirst, int limit, int found, boolean complete, long fileSize,
                   long scanned, int skipped) {
        int keep = Math.min(limit, newestFirst.size());
        List<TranscriptMessage> out = new java.util.ArrayList<>(newestFirst.subList(0, keep));
        java.util.Collections.reverse(out);
        boolean more = found > keep;
        return new Tail(out, more, complete ? found : null, complete ? found : estimate(found, fileSize, scanned),
                fileSize, scanned, skipped);
    }
}
