package dev.huddle.core.messaging;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;

import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** Limits and shapes of messages: bodies, ids, timeouts. */
public final class MessageRules {
    private MessageRules() {}

    public static final int MAX_BODY_BYTES = 8192;
    public static final int READ_MAX_MESSAGES = 50;
    public static final int READ_MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

    /**
     * A body must be 1..8192 bytes of valid UTF-8 text: no lone surrogates (they have no UTF-8 form) and no NUL
     * or other C0 controls except tab, newline and carriage return.
     */
    public static String body(String body) {
        if (body == null || body.isEmpty()) {
            throw new HuddleError("invalid-argument", "body is empty", "Write the message text in body.");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new HuddleError("invalid-argument", "body contains a lone UTF-16 surrogate at character " + i
                        + ", which is not valid Unicode text", "Send valid UTF-8 text.");
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw new HuddleError("invalid-argument", "body contains the control character U+"
                        + String.format("%04X", (int) c) + " at character " + i, "Remove NUL and other control characters.");
            }
        }
        int bytes = utf8Length(body);
        if (bytes > MAX_BODY_BYTES) {
            throw new HuddleError("body-too-large", "body is " + bytes + " bytes of UTF-8; the limit is " + MAX_BODY_BYTES,
                    "Shorten it, or write the details to a file in the repository and send its path.");
        }
        return body;
    }

    /** UTF-8 length of a string that has no lone surrogates. */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Message and request ids: 16 lowercase hex characters. */
    public static String messageId(String id, String field) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new HuddleError("invalid-argument", field + " '" + Validation.truncate(String.valueOf(id), 40)
                    + "' is not a huddle message id", "Message ids are 16 lowercase hex characters, as returned by send_message or read_my_messages.");
        }
        return id;
    }

    public static String newId(RandomGenerator random) {
        // One draw of 64 bits: with a SecureRandom (NativePRNG) each draw reads /dev/urandom under a lock and
        // mixes in SHA1PRNG output, so eight nextInt(256) calls cost eight times that.
        return HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The wake mode of a send: "off", "auto" or absent. */
    public static String wake(String wake) {
        if (wake == null) return null;
        if (!wake.equals("off") && !wake.equals("auto")) {
            throw new HuddleError("invalid-argument", "wake must be \"off\" or \"auto\", not '" + Validation.truncate(wake, 20) + "'",
                    "Omit wake for the default.");
        }
        return wake;
    }

    /** Clamps an ask timeout; rejects non-positive ones. */
    public static long askTimeoutMs(Long requested, long defaultMs, long maxMs) {
        if (requested == null) return Math.min(defaultMs, maxMs);
        if (requested <= 0) {
            throw new HuddleError("invalid-argument", "timeout_ms must be positive, not " + requested,
                    "Omit it for the default of " + defaultMs + " ms.");
        }
        return Math.min(requested, maxMs);
    }
}
