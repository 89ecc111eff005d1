package dev.huddle.store;

import java.time.Instant;

/**
 * Whether the database serves: {@code ok}; {@code degraded} while writes fail for a reason outside huddle (a full
 * disk, an I/O error), which heals by itself once the cause is gone; {@code corrupt} once SQLite found the file
 * damaged, which does not heal: the hub refuses to serve and {@code huddle hub recover} salvages what is readable.
 *
 * @param reason what failed, for a human (null when ok)
 * @param since  when the state began (null when ok)
 */
public record StoreHealth(State state, String reason, Instant since) {
    public enum State {
        OK, DEGRADED, CORRUPT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final StoreHealth OK = new StoreHealth(State.OK, null, null);

    public boolean ok() {
        return state == State.OK;
    }
}
