package dev.huddle.terminal;

import java.time.Duration;
import java.util.List;

/**
 * How a client's terminal UI takes a typed wake: the prompt markers of its composer (the input line), what it draws in
 * an empty composer, where it keeps the cursor, whether text goes in as a bracketed paste, and the least wait between
 * the text and Enter. Each client's package describes its own, from captured screens of the real TUI;
 * {@link #UNKNOWN} stands for a shell or a program huddle does not know (the cursor line after a shell prompt).
 *
 * @param client           the client's name, for reasons
 * @param markers          what starts the composer line, after box borders ({@link InputLine}); empty: read the cursor line
 * @param placeholders     texts the client shows in its empty composer in a plain colour (faint text is dropped anyway):
 *                         a composer that shows exactly one of them is empty (Gemini CLI's "Type your message or
 *                         &#64;path/to/file" is grey, not faint)
 * @param cursorInComposer whether the client keeps the terminal cursor in its composer while the composer has the
 *                         keyboard: a composer the cursor is not in is not what typed keys reach (a dialog is open)
 * @param paste            whether the text is pasted (tmux {@code paste-buffer -p}, WezTerm's default) rather than typed
 * @param enterGap         how long the text settles before Enter (Codex turns an Enter within 120 ms of fast typing into
 *                         a newline); terminals that cannot verify add their own margin
 */
public record Composer(String client, List<String> markers, List<String> placeholders, boolean cursorInComposer,
                       boolean paste, Duration enterGap) {
    public static final Composer UNKNOWN = new Composer("unknown", List.of(), false, Duration.ofMillis(50));

    public Composer {
        markers = List.copyOf(markers);
        placeholders = List.copyOf(placeholders);
    }

    /** A composer whose placeholder, if any, is faint and whose cursor huddle does not rely on. */
    public Composer(String client, List<String> markers, boolean paste, Duration enterGap) {
        this(client, markers, List.of(), false, paste, enterGap);
    }
}
