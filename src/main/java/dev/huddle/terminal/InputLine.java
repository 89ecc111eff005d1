package dev.huddle.terminal;

import java.util.List;
import java.util.Optional;

/**
 * Finds a TUI's input line on a captured screen and reads what is typed in it, to tell an empty composer from a
 * human's half-typed draft. Pure: works on the text of {@code tmux capture-pane -p -e} (SGR kept) plus the cursor.
 *
 * <p>The heuristic:
 * <ul>
 *   <li>A client whose {@link Composer} names its prompt markers: the bottom-most line whose text, after box borders
 *       ({@code │┃║|}) and spaces, starts with one of them (the composer; the transcript above echoes old prompts
 *       with the same marker, the composer is always drawn below them). Each client's package says its markers.</li>
 *   <li>Anything else (a shell, an unknown TUI): the cursor line: the text left of the cursor after the last prompt
 *       marker ({@code $ }, {@code # }, {@code % }, {@code > }, {@code › }, {@code ❯ }).</li>
 * </ul>
 * If a known client's composer line is not on screen, the answer is "no input line" (it shows a dialog, a menu or
 * a pager, where typed keys would answer something), and so is a cursor line without a prompt marker. The draft is the text after the
 * marker with trailing box border and blanks removed. Text drawn faint (SGR 2) is dropped first: TUIs draw their
 * placeholder ("Ask Codex to do anything") that way, and it is not a draft. A client that draws its placeholder in a
 * plain colour names it ({@link Composer#placeholders()}): a composer showing exactly that text (wrapped over the rows
 * below it in a narrow pane) with the cursor at its start is empty. A client that keeps the cursor in its composer
 * ({@link Composer#cursorInComposer()}) has no input line when the cursor is elsewhere: its composer is hidden behind
 * a dialog and the bottom-most marker is an old prompt of the transcript.
 *
 * <p>Limits: a TUI that draws its placeholder in a plain colour and does not name it reads as a draft (a safe
 * error: no wake); a draft scrolled out of a tiny pane, or a multi-line draft whose first line is empty, is missed;
 * a screen redraw in progress can be read half-drawn; a prompt whose marker is not in the lists reads as "no input
 * line", which the waker treats as unsafe.
 */
public final class InputLine {
    private static final List<String> GENERIC_MARKERS = List.of("$ ", "# ", "% ", "> ", "› ", "❯ ");
    private static final String BORDERS = "│┃║|";

    /** What the input line holds; {@code row} is the screen row it was found on. */
    public record Draft(int row, String text) {
        public boolean empty() {
            return text.isEmpty();
        }
    }

    private InputLine() {
    }

    /**
     * The input line of {@code composer} on {@code screen} (captured with SGR escapes), or empty if none is
     * recognised. {@code cursorX}/{@code cursorY} may be -1 when unknown.
     */
    public static Optional<Draft> find(Composer composer, String screen, int cursorX, int cursorY) {
        List<String> rows = screen.lines().map(InputLine::visibleText).toList();
        List<String> markers = composer.markers();
        if (!markers.isEmpty()) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                String row = rows.get(i);
                String line = stripLeftBorder(row);
                for (String m : markers) {
                    if (line.startsWith(m) || line.equals(m.strip())) {
                        return composerAt(composer, rows, i, row.length() - line.length() + m.length(), cursorX, cursorY);
                    }
                }
            }
            // A known client whose composer is not drawn is showing something else (an approval dialog, a menu,
            // a pager): typing there could answer it. Cannot tell, so no wake.
            return Optional.empty();
        }
        if (cursorY < 0 || cursorY >= rows.size() || cursorX < 0) return Optional.empty();
        String row = rows.get(cursorY);
        // capture-pane trims trailing blanks: pad so that "$ " with the cursor after it stays "$ "
        String left = (row + " ".repeat(Math.max(0, cursorX - row.length()))).substring(0, cursorX);
        int draftStart = -1;
        for (String m : GENERIC_MARKERS) {
            int at = left.lastIndexOf(m);
            if (at >= 0) draftStart = Math.max(draftStart, at + m.length());
        }
        // No prompt marker left of the cursor: a blank line may be a program reading its stdin (cat, a y/n
        // question): cannot tell.
        if (draftStart < 0) return Optional.empty();
        return Optional.of(new Draft(cursorY, clean(left.substring(draftStart))));
    }

    /**
     * Whether {@code draft} shows the end of {@code typed}: the TUI has taken every key (blanks are ignored: a wrap may
     * add or drop one).
     */
    public static boolean showsAll(Draft draft, String typed) {
        String d = draft.text().replaceAll("\\s+", "");
        String t = typed.replaceAll("\\s+", "");
        return !t.isEmpty() && d.endsWith(t.substring(t.offsetByCodePoints(t.length(), -Math.min(24, t.codePointCount(0, t.length())))));
    }

    /** Whether {@code draft} still shows (the start of) {@code typed}: the text has not been submitted yet. */
    public static boolean stillHolds(Draft draft, String typed) {
        String d = normalized(draft.text());
        String t = normalized(typed);
        if (d.isEmpty() || t.isEmpty()) return false;
        String probe = t.substring(0, t.offsetByCodePoints(0, Math.min(24, t.codePointCount(0, t.length()))));
        return d.contains(probe) || probe.startsWith(d); // a draft cut by the pane's edge shows only its start
    }

    /**
     * The composer whose marker ends at {@code column} of {@code row}: its draft, or empty where keys would not reach it.
     * For a client that keeps the cursor in its composer (whose layout huddle knows from its screens), a wrapped draft
     * is joined over the rows it continues on, indented under its first row; any other shows its first row.
     */
    private static Optional<Draft> composerAt(Composer composer, List<String> rows, int row, int column, int cursorX, int cursorY) {
        String text = rows.get(row);
        String first = clean(column < text.length() ? text.substring(column) : "");
        int last = row;
        while (composer.cursorInComposer() && last + 1 < rows.size() && continues(rows.get(last + 1), column)) last++;
        // A draft's new, still empty last line (Enter taken as a newline) holds the cursor at the draft's column.
        boolean newLine = cursorY == last + 1 && cursorX == column && cursorY < rows.size() && rows.get(cursorY).isBlank();
        if (composer.cursorInComposer() && cursorY >= 0 && (cursorY < row || cursorY > last) && !newLine) return Optional.empty();
        if (!first.isEmpty() && showsPlaceholder(composer, rows, row, last, column, first, cursorX, cursorY)) {
            return Optional.of(new Draft(row, ""));
        }
        StringBuilder draft = new StringBuilder(first);
        for (int r = row + 1; r <= last; r++) draft.append(' ').append(clean(rows.get(r)));
        return Optional.of(new Draft(row, draft.toString().strip()));
    }

    private static boolean continues(String row, int column) {
        return row.length() > column && row.substring(0, column).isBlank() && !row.substring(column).isBlank();
    }

    /**
     * Whether the composer shows one of the client's placeholders (joined over its continuation rows) with the cursor,
     * when known, at its start: a human's draft that happens to read the same has the cursor after it.
     */
    private static boolean showsPlaceholder(Composer composer, List<String> rows, int row, int last, int column, String draft,
                                            int cursorX, int cursorY) {
        if (composer.placeholders().isEmpty()) return false;
        List<String> placeholders = composer.placeholders().stream().map(InputLine::normalized).toList();
        String shown = normalized(draft);
        for (int r = row + 1; r <= last && !placeholders.contains(shown); r++) shown = normalized(shown + " " + rows.get(r));
        if (!placeholders.contains(shown)) return false;
        if (cursorX < 0 || cursorY < 0) return true;
        String text = rows.get(row);
        int start = column;
        while (start < text.length() && text.charAt(start) == ' ') start++;
        return cursorY == row && cursorX <= start;
    }

    private static String normalized(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String stripLeftBorder(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || BORDERS.indexOf(line.charAt(i)) >= 0)) i++;
        return line.substring(i);
    }

    private static String clean(String s) {
        String t = s.stripTrailing();
        while (!t.isEmpty() && BORDERS.indexOf(t.charAt(t.length() - 1)) >= 0) t = t.substring(0, t.length() - 1).stripTrailing();
        return t.strip();
    }

    /** The characters of a captured row without escape sequences and without text drawn faint (SGR 2). */
    static String visibleText(String row) {
        StringBuilder out = new StringBuilder(row.length());
        boolean faint = false;
        int i = 0;
        while (i < row.length()) {
            char c = row.charAt(i);
            if (c == '\u001B' && i + 1 < row.length() && row.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < row.length() && (row.charAt(j) < '@' || row.charAt(j) > '~')) j++;
                if (j < row.length() && row.charAt(j) == 'm') faint = applySgr(row.substring(i + 2, j), faint);
                i = j + 1;
            } else if (c == '\u001B' && i + 1 < row.length() && row.charAt(i + 1) == ']') {
                int j = i + 2;
                while (j < row.length() && row.charAt(j) != '\u0007' && !(row.charAt(j) == '\u001B' && j + 1 < row.length() && row.charAt(j + 1) == '\\')) j++;
                i = j < row.length() && row.charAt(j) == '\u001B' ? j + 2 : j + 1;
            } else if (c == '\u001B') {
                i += 2;
            } else {
                if (!faint) out.append(c);
                else out.append(' '); // keep columns aligned with the cursor
                i++;
            }
        }
        return out.toString();
    }

    private static boolean applySgr(String params, boolean faint) {
        if (params.isEmpty()) return false;
        String[] ps = params.split("[;:]");
        for (int k = 0; k < ps.length; k++) {
            switch (ps[k]) {
                case "0", "" -> faint = false;
                case "2" -> faint = true;
                case "22" -> faint = false;
                case "38", "48", "58" -> {
                    // extended colour: skip its arguments (5;n or 2;r;g;b)
                    if (k + 1 < ps.length) k += "5".equals(ps[k + 1]) ? 2 : "2".equals(ps[k + 1]) ? 4 : 1;
                }
                default -> {
                }
            }
        }
        return faint;
    }
}
