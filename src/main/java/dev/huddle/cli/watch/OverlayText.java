package dev.huddle.cli.watch;

import dev.huddle.protocol.tools.Tools;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import java.util.ArrayList;
import java.util.List;

/** The texts the dashboard shows over its board: hub text (transcripts, the diagnosis) cleaned into lines, and the help. */
final class OverlayText {
    private OverlayText() {}

    /** Text from the hub (a transcript: anything an agent wrote) as overlay lines, cleaned of terminal controls. */
    static List<AttributedString> lines(String text) {
        List<AttributedString> out = new ArrayList<>();
        for (String l : text.split("\n", -1)) {
            String clean = Text.clean(l.replace("\t", "    "));
            out.add(clean.startsWith("── ") ? new AttributedString(clean, AttributedStyle.BOLD) : new AttributedString(clean));
        }
        while (!out.isEmpty() && out.getLast().length() == 0) out.removeLast();
        return out;
    }

    static List<AttributedString> help() {
        return lines("""
                Keys
                  ↑ ↓  j k     select an agent (also PgUp PgDn, Home End, g G)
                  s, Enter     write to the selected agent: Enter sends, Esc cancels; it
                               arrives from the operator, as with huddle send
                  n            nudge it: a message asking it to check its messages and open
                               work; it is woken when the wake policy allows (never typed
                               into while it is busy)
                  r            read its transcript: newest messages and tool calls
                  t            jump to its tmux pane (inside tmux), or show the command
                  d            huddle diagnose: hooks, transcripts, terminals, wakes
                  ?            this help;  Ctrl-L redraws;  q or Ctrl-C quits

                Columns
                  STATE        busy or idle and for how long (from its hooks); online when
                               unknown; offline and for how long
                  UNREAD       messages it has not read yet
                  ASK          its %s questions still unanswered
                  OBL          work it was given (action_required) and has not closed
                  WAITS FOR    whom it waits for (wide terminals)
                  LAST TOOL    its newest tool call, from its transcript, and its age

                Marks
                  >            the selected agent
                  !            on a wait cycle (deadlock: A waits for B waits for A), red
                               with colour; also stranded mail and stale work

                The hub pushes every change; ages and the clock tick locally each
                second. NO_COLOR=1 (or --no-color) turns colours off.""".formatted(Tools.ASK_PEER.name()));
    }
}
