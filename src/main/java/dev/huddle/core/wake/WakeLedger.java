package dev.huddle.core.wake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An immutable list of past wakes: a {@link WakeHistory} value. {@link #recorded} returns a new ledger. */
public record WakeLedger(List<Entry> entries) implements WakeHistory {

    /** One wake that the policy allowed: to whom, for which reply_to (null if none), when. */
    public record Entry(String targetId, String replyTo, Instant at) {
        public Entry {
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(at, "at");
        }
    }

    public static final WakeLedger EMPTY = new WakeLedger(List.of());

    public WakeLedger {
        entries = List.copyOf(entries);
    }

    /** This ledger plus one wake. */
    public WakeLedger recorded(String targetId, String replyTo, Instant at) {
        List<Entry> next = new ArrayList<>(entries.size() + 1);
        next.addAll(entries);
        next.add(new Entry(targetId, replyTo, at));
        return new WakeLedger(next);
    }

    /** This ledger plus the wake of an allowed request. */
    public WakeLedger recorded(WakeRequest r, Instant at) {
        return recorded(r.target().agentId(), r.replyTo(), at);
    }

    /**
     * Forgets what no rule can still need: entries older than both the debounce and the rate window, except that
     * entries with a reply_to are kept for the reply de-duplication window.
     */
    public WakeLedger pruned(WakeSettings s, Instant now) {
        Duration plain = s.debounce().compareTo(s.rateWindow()) > 0 ? s.debounce() : s.rateWindow();
        Instant plainCut = now.minus(plain);
        Instant replyCut = now.minus(s.replyDedupeWindow().compareTo(plain) > 0 ? s.replyDedupeWindow() : plain);
        return new WakeLedger(entries.stream()
                .filter(e -> e.at().isAfter(e.replyTo() == null ? plainCut : replyCut))
                .toList());
    }

    @Override
    public Instant lastWake(String targetId) {
        Instant last = null;
        for (Entry e : entries) {
            if (e.targetId().equals(targetId) && (last == null || e.at().isAfter(last))) last = e.at();
        }
        return last;
    }

    @Override
    public int wakesAfter(String targetId, Instant after) {
        int n = 0;
        for (Entry e : entries) if (e.targetId().equals(targetId) && e.at().isAfter(after)) n++;
        return n;
    }

    @Override
    public boolean wokenFor(String targetId, String replyTo) {
        for (Entry e : entries) {
            if (e.targetId().equals(targetId) && replyTo.equals(e.replyTo())) return true;
        }
        return false;
    }
}
