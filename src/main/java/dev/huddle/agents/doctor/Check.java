package dev.huddle.agents.doctor;

import dev.huddle.protocol.json.KeepNull;

/**
 * One line of {@code huddle doctor}: what was checked, how it went, one line of detail, and what to do (as JSON:
 * {@code {"name","status","detail","hint"}}, every key present). Here, beside {@link ClientDoctor}, so that a client's
 * package can add checks of its own.
 */
public record Check(String name, Status status, @KeepNull String detail, @KeepNull String hint) {

    public enum Status {
        OK("ok"), WARN("warn"), FAIL("FAIL");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** As printed: {@code ok}, {@code warn}, {@code FAIL}. */
        public String label() {
            return label;
        }

        /** As in {@code --json}: {@code ok}, {@code warn}, {@code fail}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    public static Check warn(String name, String detail, String hint) {
        return new Check(name, Status.WARN, detail, hint);
    }

    public static Check fail(String name, String detail, String hint) {
        return new Check(name, Status.FAIL, detail, hint);
    }
}
