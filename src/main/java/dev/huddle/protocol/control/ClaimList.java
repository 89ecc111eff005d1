package dev.huddle.protocol.control;

import java.util.List;

/**
 * The reply to {@code claims}: per project, its claims, explicit (claim_paths) and implicit (a file being edited is the
 * editor's for {@code editWindowS}).
 *
 * @param projectRoot the project asked about; absent with {@code all}
 */
public record ClaimList(String projectRoot, long editWindowS, int count, List<Project> projects) {
    public ClaimList {
        projects = projects == null ? List.of() : projects;
    }

    public record Project(String projectRoot, int count, List<Claim> claims) {
        public Project {
            claims = claims == null ? List.of() : claims;
        }
    }

    /** One claim as list_claims shows it (without {@code mine}: the human holds none). */
    public record Claim(String path, String mode, String holder, String holderName, String holderHandle, String reason,
                        String since, String expires, Long expiresInS, Boolean implicit, String lastEdit) {}
}
