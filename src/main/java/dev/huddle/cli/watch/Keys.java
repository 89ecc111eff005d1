package dev.huddle.cli.watch;

import java.io.IOException;

/**
 * Turns the bytes a terminal sends in raw mode into keys: printable characters, control keys, and the escape sequences
 * of arrows and paging keys (both the {@code ESC [} and the application-mode {@code ESC O} forms). A lone ESC is the
 * Escape key when nothing follows within a short pause.
 */
final class Keys {
    public enum Kind { CHAR, UP, DOWN, LEFT, RIGHT, PAGE_UP, PAGE_DOWN, HOME, END, ENTER, ESCAPE, BACKSPACE, TAB, CTRL_C, CTRL_D,
        CTRL_U, CTRL_W, CTRL_L, OTHER }

    public record Key(Kind kind, int ch) {
        static Key of(Kind k) {
            return new Key(k, 0);
        }

        public boolean is(char c) {
            return kind == Kind.CHAR && ch == c;
        }
    }

    /** Where the bytes come from: {@code read(timeoutMs)} returns a char, -1 at end of input, -2 on timeout. */
    @FunctionalInterface
    public interface Source {
        int read(long timeoutMs) throws IOException;
    }

    /** How long the rest of an escape sequence may take to arrive. */
    static final long SEQUENCE_MS = 40;

    private Keys() {}

    /** The next key, or null on timeout; throws {@link java.io.EOFException} at end of input. */
    public static Key next(Source in, long timeoutMs) throws IOException {
        int c = in.read(timeoutMs);
        if (c == -2) return null;
        if (c < 0) throw new java.io.EOFException();
        return switch (c) {
            case 27 -> escape(in);
            case '\r', '\n' -> Key.of(Kind.ENTER);
            case 127, 8 -> Key.of(Kind.BACKSPACE);
            case '\t' -> Key.of(Kind.TAB);
            case 3 -> Key.of(Kind.CTRL_C);
            case 4 -> Key.of(Kind.CTRL_D);
            case 21 -> Key.of(Kind.CTRL_U);
            case 23 -> Key.of(Kind.CTRL_W);
            case 12 -> Key.of(Kind.CTRL_L);
            case 14 -> Key.of(Kind.DOWN); // Ctrl-N
            case 16 -> Key.of(Kind.UP);   // Ctrl-P
            default -> c < 32 ? Key.of(Kind.OTHER) : new Key(Kind.CHAR, surrogate(in, c));
        };
    }

    private static int surrogate(Source in, int c) throws IOException {
        if (!Character.isHighSurrogate((char) c)) return c;
        int low = in.read(SEQUENCE_MS);
        return low >= 0 && Character.isLowSurrogate((char) low) ? Character.toCodePoint((char) c, (char) low) : c;
    }

    private static Key escape(Source in) throws IOException {
        int c = in.read(SEQUENCE_MS);
        if (c < 0) return Key.of(Kind.ESCAPE);
        if (c == 27) return Key.of(Kind.ESCAPE);
        if (c != '[' && c != 'O') return Key.of(Kind.OTHER); // Alt+key: ignored
        StringBuilder params = new StringBuilder();
        int f;
        while (true) {
            f = in.read(SEQUENCE_MS);
            if (f < 0) return Key.of(Kind.OTHER);
            if (f >= 0x40 && f <= 0x7e) break;
            if (params.length() > 16) return Key.of(Kind.OTHER);
            params.append((char) f);
        }
        return switch (f) {
            case 'A' -> Key.of(Kind.UP);
            case 'B' -> Key.of(Kind.DOWN);
            case 'C' -> Key.of(Kind.RIGHT);
            case 'D' -> Key.of(Kind.LEFT);
            case 'H' -> Key.of(Kind.HOME);
            case 'F' -> Key.of(Kind.END);
            case '~' -> switch (params.toString().split(";")[0]) {
                case "1", "7" -> Key.of(Kind.HOME);
                case "4", "8" -> Key.of(Kind.END);
                case "5" -> Key.of(Kind.PAGE_UP);
                case "6" -> Key.of(Kind.PAGE_DOWN);
                default -> Key.of(Kind.OTHER);
            };
            default -> Key.of(Kind.OTHER);
        };
    }
}
