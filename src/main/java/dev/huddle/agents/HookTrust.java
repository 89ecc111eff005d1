package dev.huddle.agents;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether a client that runs only the hooks its user trusted (Codex) will run each of huddle's installed hooks
 * ({@link AgentClient#hookTrust}), and what to do about the rest: for {@code huddle doctor}.
 *
 * @param hooks  each of huddle's handlers the client reads, in file order
 * @param advice what to do when one is not trusted
 */
public record HookTrust(List<Hook> hooks, String advice) {
    public HookTrust {
        hooks = List.copyOf(hooks);
    }

    /** Where a hook's trust stands. */
    public enum State {
        TRUSTED("trusted"), NEW("not trusted yet"), CHANGED("changed since it was trusted"), DISABLED("disabled");

        private final String words;

        State(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** One handler: its event, the file it is in, and its state. */
    public record Hook(String event, Path file, State state) {}

    /** Whether the client runs every one. */
    public boolean allTrusted() {
        return hooks.stream().allMatch(h -> h.state() == State.TRUSTED);
    }

    /** "3 of 5 trusted; not trusted: UserPromptSubmit (not trusted yet), Stop (changed since it was trusted)". */
    public String summary() {
        long trusted = hooks.stream().filter(h -> h.state() == State.TRUSTED).count();
        if (trusted == hooks.size()) return "all " + trusted + " trusted";
        StringBuilder s = new StringBuilder(trusted + " of " + hooks.size() + " trusted; not run: ");
        String sep = "";
        for (Hook h : hooks) {
            if (h.state() == State.TRUSTED) continue;
            s.append(sep).append(h.event()).append(" (").append(h.state().words()).append(')');
            sep = ", ";
        }
        return s.toString();
    }
}
