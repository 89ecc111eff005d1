package dev.huddle.terminal;

import java.time.Duration;
import java.util.List;

/**
 * How a client's terminal UI takes a typed wake: the prompt markers of its composer (the input line), whether text
 * goes in as a bracketed paste, and the least wait between the text and Enter. Each client's package describes its
 * own; {@link #UNKNOWN} stands for a shell or a program huddle does not know (the cursor line after a shell prompt).
 *
 * @param client   the client's name, for reasons
 * @param markers  what starts the composer line, after box borders ({@link InputLine}); empty: read the cursor line
 * @param paste    whether the text is pasted (tmux {@code paste-buffer -p}, WezTerm's default) rather than typed
 * @param enterGap how long the text settles before Enter (Codex turns an Enter within 120 ms of fast typing into a
 *                 newline); terminals that cannot verify add their own margin
 */
public record Composer(String client, List<String> markers, boolean paste, Duration enterGap) {
    public static final Composer UNKNOWN = new Composer("unknown", List.of(), false, Duration.ofMillis(50));

    public Composer {
        markers = List.copyOf(markers);
    }
}
