package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.ClaimList;

/** What {@code huddle claims} prints: one block per project with path, how it is held, by whom, expiry and reason. */
public final class ClaimsView {
    private ClaimsView() {}

    public static String render(ClaimList r, TerminalStyle style) {
        StringBuilder b = new StringBuilder();
        if (r.projects().isEmpty() || r.count() == 0) {
            String where = r.projectRoot() == null ? "any project" : r.projectRoot();
            return "No claims in " + where + ": no agent claimed a path or edited a file in the last " + r.editWindowS() + " s.\n";
        }
        for (ClaimList.Project p : r.projects()) {
            b.append(style.bold(Printable.line(String.valueOf(p.projectRoot())))).append('\n');
            int w = 4;
            for (ClaimList.Claim c : p.claims()) w = Math.max(w, Printable.line(String.valueOf(c.path())).length());
            w = Math.min(w, 48);
            b.append(String.format("  %-" + w + "s  %-9s  %-24s  %-9s  %s%n", "PATH", "HOW", "HOLDER", "ENDS IN", "WHY / SINCE"));
            for (ClaimList.Claim c : p.claims()) {
                boolean implicit = Boolean.TRUE.equals(c.implicit());
                String holder = c.holderName() != null ? c.holderName() + " (" + c.holderHandle() + ")" : String.valueOf(c.holder());
                String how = implicit ? "editing" : String.valueOf(c.mode());
                String why = implicit ? "last edit " + c.lastEdit() : (c.reason() == null ? "" : c.reason() + "; ") + "since " + c.since();
                b.append(String.format("  %-" + w + "s  %-9s  %-24s  %-9s  %s%n", Printable.line(String.valueOf(c.path())),
                        Printable.line(how), shorten(Printable.line(holder), 24), c.expiresInS() + " s", Printable.line(why)));
            }
        }
        return b.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
