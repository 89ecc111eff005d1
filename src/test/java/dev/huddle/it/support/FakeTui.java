package dev.huddle.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in agent TUI for wake tests, run in a tmux pane in raw mode ({@code stty raw -echo; java ... FakeTui}).
 * It reproduces the two submit hazards of the real clients:
 * <ul>
 *   <li>{@code codex}: like Codex's composer ({@code paste_burst.rs}), characters arriving at most 8 ms apart are a
 *       paste burst, and an Enter within 120 ms of burst activity inserts a newline instead of submitting. tmux's
 *       {@code send-keys -l} writes the whole text at once, so a naive text+Enter never submits.</li>
 *   <li>{@code claude}: like Claude Code's composer, enables bracketed paste ({@code ESC[?2004h}), takes the text
 *       between {@code ESC[200~} and {@code ESC[201~} as one block (a newline in it does not submit); an Enter
 *       outside a paste submits.</li>
 * </ul>
 * It draws the transcript (submitted lines) above a prompt line ({@code › } or a boxed {@code > }) holding the
 * draft, with a faint placeholder when the draft is empty, and appends each submitted text to the log file, one
 * line each, newlines inside written as {@code \n}. Ctrl-U clears the draft, Ctrl-C quits.
 *
 * <p>Usage: {@code FakeTui codex|claude <log file> <pid file>}.
 */
public final class FakeTui {
    static final long BURST_CHAR_INTERVAL_MS = 8;
    static final long ENTER_SUPPRESS_WINDOW_MS = 120;

    private final boolean codex;
    private final Path log;
    private final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    private final StringBuilder draft = new StringBuilder();
    private final List<String> history = new ArrayList<>();
    private long lastCharAt = Long.MIN_VALUE / 2;
    private long lastBurstAt = Long.MIN_VALUE / 2;
    private boolean inPaste;
    private int submitted;

    private FakeTui(boolean codex, Path log) {
        this.codex = codex;
        this.log = log;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !(args[0].equals("codex") || args[0].equals("claude"))) {
            System.err.println("usage: FakeTui codex|claude <log file> <pid file>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[2]), Long.toString(ProcessHandle.current().pid()));
        new FakeTui(args[0].equals("codex"), Path.of(args[1])).run(System.in);
    }

    private void run(InputStream in) throws IOException {
        if (!codex) out.print("\u001B[?2004h");
        redraw();
        byte[] buf = new byte[8192];
        int esc = 0; // 0 none, 1 after ESC, 2 in CSI
        StringBuilder csi = new StringBuilder();
        while (true) {
            int n = in.read(buf);
            if (n < 0) return;
            long now = System.nanoTime() / 1_000_000;
            String chunk = new String(buf, 0, n, StandardCharsets.UTF_8);
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (esc == 1) {
                    if (c == '[') {
                        esc = 2;
                        csi.setLength(0);
                    } else esc = 0;
                    continue;
                }
                if (esc == 2) {
                    if (c >= '@' && c <= '~') {
                        String seq = csi.toString() + c;
                        if (seq.equals("200~")) inPaste = true;
                        else if (seq.equals("201~")) inPaste = false;
                        esc = 0;
                    } else csi.append(c);
                    continue;
                }
                switch (c) {
                    case 0x1B -> esc = 1;
                    case 0x03 -> {
                        if (!codex) out.print("\u001B[?2004l");
                        out.print("\r\n");
                        out.flush();
                        return;
                    }
                    case 0x15 -> draft.setLength(0);
                    case 0x7F, 0x08 -> {
                        if (!draft.isEmpty()) draft.setLength(draft.length() - 1);
                    }
                    case '\r', '\n' -> enter(now);
                    default -> {
                        if (c < 0x20) break;
                        if (codex && now - lastCharAt <= BURST_CHAR_INTERVAL_MS) lastBurstAt = now;
                        lastCharAt = now;
                        draft.append(c);
                    }
                }
            }
            redraw();
        }
    }

    private void enter(long now) throws IOException {
        if (codex ? now - lastBurstAt <= ENTER_SUPPRESS_WINDOW_MS : inPaste) {
            draft.append('\n'); // the hazard: this Enter does not submit
            return;
        }
        String text = draft.toString();
        if (text.isBlank()) return;
        draft.setLength(0);
        submitted++;
        history.add(text.replace("\n", " "));
        Files.writeString(log, text.replace("\n", "\\n") + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void redraw() {
        StringBuilder s = new StringBuilder("\u001B[H\u001B[2J");
        s.append("fake-tui ").append(codex ? "codex" : "claude").append(" submitted=").append(submitted).append("\r\n\r\n");
        int row = 3;
        for (String h : history.subList(Math.max(0, history.size() - 8), history.size())) {
            s.append(codex ? "› " : "> ").append(h).append("\r\n");
            row++;
        }
        s.append("\r\n");
        row++;
        String[] lines = draft.toString().split("\n", -1);
        String marker = codex ? "› " : "│ > ";
        if (!codex) {
            s.append("╭").append("─".repeat(70)).append("╮\r\n");
            row++;
        }
        int cursorRow = row;
        int cursorCol = marker.length() + 1;
        for (int i = 0; i < lines.length; i++) {
            String prefix = i == 0 ? marker : (codex ? "  " : "│   ");
            s.append(prefix);
            String shown = i == 0 && draft.isEmpty() ? "Ask me anything" : lines[i];
            if (i == 0 && draft.isEmpty()) s.append("\u001B[2m").append(shown).append("\u001B[0m");
            else s.append(shown);
            if (!codex) s.append(" ".repeat(Math.max(1, 70 - prefix.length() + 1 - shown.length()))).append("│");
            s.append("\r\n");
            cursorRow = row;
            cursorCol = prefix.length() + (draft.isEmpty() ? 0 : lines[i].length()) + 1;
            row++;
        }
        if (!codex) s.append("╰").append("─".repeat(70)).append("╯\r\n");
        s.append("\u001B[").append(cursorRow).append(';').append(cursorCol).append('H');
        out.print(s);
        out.flush();
    }
}
