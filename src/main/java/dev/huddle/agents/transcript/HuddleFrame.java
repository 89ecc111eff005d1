package dev.huddle.agents.transcript;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text a hook puts in front of a model (the trust frame around peer messages) opens: {@code [huddle <ref>] },
 * {@code ref} a short random hex reference per answer. The hub writes it; transcript parsers find it to show huddle's
 * deliveries as such, and the hook service finds it in a prompt a client built from a rewake hook's output.
 */
public final class HuddleFrame {
    private static final Pattern OPEN = Pattern.compile("\\[huddle ([0-9a-f]{6})] ");

    private HuddleFrame() {}

    /** The frame's first characters for the answer with reference {@code ref}. */
    public static String open(String ref) {
        return "[huddle " + ref + "] ";
    }

    /** Where the first frame in {@code text} opens, or -1. */
    public static int indexIn(String text) {
        if (text == null) return -1;
        Matcher m = OPEN.matcher(text);
        return m.find() ? m.start() : -1;
    }

    /** Whether {@code text} holds the frame of the answer with reference {@code ref}. */
    public static boolean holds(String text, String ref) {
        return text != null && ref != null && text.contains(open(ref));
    }
}
