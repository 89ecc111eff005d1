package dev.huddle.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Short handles and provisional ids. */
public final class Handles {
    private Handles() {}

    public static final int HANDLE_LENGTH = 8;
    public static final String PROVISIONAL_PREFIX = "p-";
    /** A UUID of version 7 (RFC 9562): 48 bits of Unix milliseconds first, random bits last. */
    private static final Pattern UUID_V7 = Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-7\\p{XDigit}{3}-[89abAB]\\p{XDigit}{3}-\\p{XDigit}{12}");

    /**
     * The 8 characters of the id that tell agents apart, and always the same ones for the same id: its first 8 (a
     * UUIDv4's random bits, Claude Code and Gemini CLI), keeping the {@code p-} of a provisional id in front of them;
     * for a UUIDv7 (Codex thread ids) its last 8, because its first 8 are a timestamp that sessions started within
     * about 65 s share, while its last 32 bits are random.
     */
    public static String handle(String agentId) {
        if (UUID_V7.matcher(agentId).matches()) return agentId.substring(agentId.length() - HANDLE_LENGTH);
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
