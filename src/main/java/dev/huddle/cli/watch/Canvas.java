package dev.huddle.cli.watch;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** Lines of one frame, {@code width} columns wide, in the frame's {@link Palette}: cut, padded, split left and right. */
final class Canvas {
    final int width;
    final Palette pal;

    Canvas(int width, Palette pal) {
        this.width = width;
        this.pal = pal;
    }

    /** The styles; all plain without colour, so no escape sequence is ever produced then. */
    record Palette(AttributedStyle plain, AttributedStyle dim, AttributedStyle bold, AttributedStyle title, AttributedStyle red,
                   AttributedStyle redBold, AttributedStyle yellow, AttributedStyle yellowBold, AttributedStyle green,
                   AttributedStyle cyan, AttributedStyle selected, AttributedStyle selectedBold, AttributedStyle cursor,
                   AttributedStyle banner) {
        static final AttributedStyle D = AttributedStyle.DEFAULT;
        static final Palette PLAIN = new Palette(D, D, D, D, D, D, D, D, D, D, D, D, D, D);
        static final Palette COLOR = new Palette(D, D.faint(), D.bold(), D.bold().foreground(AttributedStyle.BLUE),
                D.foreground(AttributedStyle.RED), D.bold().foreground(AttributedStyle.RED), D.foreground(AttributedStyle.YELLOW),
                D.bold().foreground(AttributedStyle.YELLOW), D.foreground(AttributedStyle.GREEN), D.foreground(AttributedStyle.CYAN),
                D.inverse(), D.inverse().bold(), D.inverse(), D.bold().foreground(AttributedStyle.MAGENTA));
    }

    AttributedString line(AttributedStyle style, String text) {
        return new AttributedString(Text.fit(text, width), style);
    }

    AttributedString cut(AttributedString s) {
        if (s.columnLength() <= width) return s;
        AttributedString head = s.columnSubSequence(0, width - 1);
        AttributedStringBuilder b = new AttributedStringBuilder().append(head);
        b.style(pal.plain()).append("…");
        return b.toAttributedString();
    }

    /** {@code left}, then {@code right} flush right; the left side is cut when both do not fit. */
    AttributedString leftRight(AttributedString left, AttributedString right) {
        int rw = right.columnLength();
        if (rw + 2 > width) return cut(left);
        int room = width - rw - 1;
        AttributedString l = left.columnLength() > room
                ? new AttributedStringBuilder().append(left.columnSubSequence(0, room - 1)).append("…").toAttributedString()
                : left;
        AttributedStringBuilder b = new AttributedStringBuilder().append(l);
        b.append(" ".repeat(width - l.columnLength() - rw));
        b.append(right);
        return b.toAttributedString();
    }

    /** A section's title line: {@code ━━ title (note) ━━━…}. */
    AttributedString rule(String title, String note) {
        AttributedStringBuilder b = new AttributedStringBuilder().style(pal.dim()).append("━━ ").style(pal.title()).append(title);
        if (!note.isEmpty()) b.style(pal.dim()).append(" (" + note + ")");
        b.style(pal.dim()).append(" ");
        int left = width - b.columnLength();
        if (left > 0) b.append("━".repeat(left));
        return cut(b.toAttributedString());
    }
}
