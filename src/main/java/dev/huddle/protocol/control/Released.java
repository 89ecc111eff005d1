package dev.huddle.protocol.control;

import java.util.List;

/** The reply to {@code release}: what was released, and the targets that matched nothing or were refused (absent when none). */
public record Released(String projectRoot, int count, List<Claim> released, List<Problem> problems) {
    public Released {
        released = released == null ? List.of() : released;
    }

    /** @param implicit true for a file that was being edited (an implicit claim), else absent */
    public record Claim(String target, String path, String holder, String holderName, String mode, Boolean implicit) {}

    public record Problem(String target, String error, String message) {}
}
