package dev.huddle.cli.doctor;

import java.util.LinkedHashMap;
import java.util.Map;

/** One line of {@code huddle doctor}: what was checked, how it went, one line of detail, and what to do. */
public record Check(String name, Status status, String detail, String hint) {

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

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("status", status.wireName());
        m.put("detail", detail);
        m.put("hint", hint);
        return m;
    }
}
