package dev.huddle.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short handles and provisional ids. */
public final class Handles {
    private Handles() {}

    public static final int HANDLE_LENGTH = 8;
    public static final String PROVISIONAL_PREFIX = "p-";

    /** The first 8 characters of the id, keeping the {@code p-} of a provisional id in front of them. */
    public static String handle(String agentId) {
        int len = HANDLE_LENGTH + (isProvisional(agentId) ? PROVISIONAL_PREFIX.length() : 0);
        return agentId.length() <= len ? agentId : agentId.substring(0, len);
    }

    /** A stable provisional id for an agent known only by its process. */
    public static String provisionalId(AgentProcess p) {
        return PROVISIONAL_PREFIX + sha256Hex("proc:" + p.pid() + ":" + p.startMillis()).substring(0, 16);
    }

    public static boolean isProvisional(String agentId) {
        return agentId.startsWith(PROVISIONAL_PREFIX);
    }

    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
