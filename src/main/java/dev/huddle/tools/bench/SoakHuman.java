package dev.huddle.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The soak's simulated human: types into idle panes of the soak's agents while they talk, and records what it typed
 * and whether it found its text disturbed ({@link SoakAnalysis.Human}).
 */
final class SoakHuman {
    private static final String[] WORDS = {"parser", "lexer", "config loader", "retry queue", "migration", "CI cache", "release notes",
            "flaky test", "auth module", "index rebuild"};

    private final SoakTmux tmux;
    private final Map<String, String> paneOf;
    private final SoakSettings settings;
    private final PrintStream progress;
    private final Random random = new Random(42);
    private final List<SoakAnalysis.Human> typed = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    SoakHuman(SoakTmux tmux, Map<String, String> paneOf, SoakSettings settings, PrintStream progress) {
        this.tmux = tmux;
        this.paneOf = paneOf;
        this.settings = settings;
        this.progress = progress;
    }

    /** What it typed, in order. */
    List<SoakAnalysis.Human> typed() {
        return typed;
    }

    /** Ends {@link #run} at its next step. */
    void stop() {
        stopped = true;
    }

    /**
     * Types into idle panes until {@code stopAt}: a draft (a few chunks of keys, left for some seconds, then C-u) or
     * a prompt (typed the same way, then Enter). It looks at the screen before it starts, and checks that its text is
     * still exactly what it typed before it clears or submits it.
     */
    void run(List<String> names, long stopAt) {
        int n = 0;
        while (!stopped && System.currentTimeMillis() < stopAt) {
            Pause.sleep(settings.humanGapMinMs() + (long) (random.nextDouble() * (settings.humanGapMaxMs() - settings.humanGapMinMs())));
            if (stopped) return;
            List<String> order = new ArrayList<>(names);
            Collections.shuffle(order, random);
            String target = null;
            for (String a : order.subList(0, Math.min(4, order.size()))) {
                try {
                    if (idleScreen(tmux.screen(paneOf.get(a)))) {
                        target = a;
                        break;
                    }
                } catch (IOException | RuntimeException e) {
                    // a pane being redrawn or gone: try another
                }
            }
            if (target == null) continue;
            n++;
            boolean prompt = random.nextDouble() < settings.humanPromptShare();
            String word = WORDS[random.nextInt(WORDS.length)];
            String text = prompt ? "task-" + n + ": please review the " + word + " change and report back"
                    : "draft-" + n + ": I think the " + word + " should";
            try {
                type(target, text, prompt);
            } catch (IOException | RuntimeException e) {
                progress.println("bench: soak: the human could not type into " + target + ": " + e.getMessage());
            }
        }
    }

    private void type(String agent, String text, boolean submit) throws IOException {
        String pane = paneOf.get(agent);
        long t0 = System.currentTimeMillis();
        int chunks = 2 + random.nextInt(3);
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            int to = c == chunks - 1 ? text.length() : Math.min(text.length(), at + Math.max(1, text.length() / chunks));
            tmux.type(pane, text.substring(at, to));
            at = to;
            if (c < chunks - 1) Pause.sleep(100 + random.nextInt(300));
        }
        if (!submit) Pause.sleep(settings.draftHoldMinMs() + (long) (random.nextDouble() * (settings.draftHoldMaxMs() - settings.draftHoldMinMs())));
        else Pause.sleep(200 + random.nextInt(400));
        String seen = composer(tmux.screen(pane));
        String disturbed = text.equals(seen) ? null : seen;
        if (submit && disturbed == null) tmux.key(pane, "Enter");
        else tmux.key(pane, "C-u"); // a disturbed prompt is not submitted: the human clears it, as a person would
        long t1 = System.currentTimeMillis();
        typed.add(new SoakAnalysis.Human(agent, submit ? "prompt" : "draft", t0, t1, text, disturbed));
    }

    /** The composer's text (after {@code › } on the last non-blank row), or null when the last row is not the composer. */
    static String composer(SoakTmux.Screen s) {
        List<String> rows = s.rows();
        for (int i = rows.size() - 1; i >= 0; i--) {
            String r = rows.get(i);
            if (r.isBlank()) continue;
            if (r.strip().equals(SoakAgent.PROMPT.strip())) return "";
            return r.startsWith(SoakAgent.PROMPT) ? r.substring(SoakAgent.PROMPT.length()).strip() : null;
        }
        return null;
    }

    /** An idle agent as a person sees it: "✓ idle" above an empty composer. */
    static boolean idleScreen(SoakTmux.Screen s) {
        List<String> rows = s.rows();
        int last = rows.size() - 1;
        while (last >= 0 && rows.get(last).isBlank()) last--;
        if (last < 1 || !rows.get(last).strip().equals(SoakAgent.PROMPT.strip())) return false;
        int above = last - 1;
        while (above >= 0 && rows.get(above).isBlank()) above--;
        return above >= 0 && rows.get(above).startsWith(SoakAgent.IDLE_MARK);
    }

}
