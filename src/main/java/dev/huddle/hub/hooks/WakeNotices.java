package dev.huddle.hub.hooks;

import dev.huddle.agents.transcript.HuddleFrame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the human sees when a rewake hook wakes an idle session. The client shows only the hook's fixed label; the
 * turn it starts runs the prompt hook with the hook's output as its prompt, and that hook's answer may show the human
 * a line. So the mail a rewake answer carried is remembered per agent with the answer's frame reference, and the
 * prompt hook whose prompt carries that frame says who wrote and the first line. A prompt without it (the human typed
 * one meanwhile) says nothing.
 */
final class WakeNotices {
    /** Headlines shown; more are counted. */
    static final int MAX_SHOWN = 3;

    private record Woken(String ref, List<String> headlines) {}

    private final Map<String, Woken> latest = new ConcurrentHashMap<>();

    /** A rewake answer with frame reference {@code ref} carried these messages (their headlines) to the agent. */
    void woke(String agentId, String ref, List<String> headlines) {
        if (headlines.isEmpty()) latest.remove(agentId);
        else latest.put(agentId, new Woken(ref, List.copyOf(headlines)));
    }

    /** The line for the human when {@code promptHead} is the one the agent's last rewake answer started; else null. */
    String forPrompt(String agentId, String promptHead) {
        Woken w = latest.get(agentId);
        if (w == null || !HuddleFrame.holds(promptHead, w.ref())) return null;
        latest.remove(agentId, w);
        return line(w.headlines());
    }

    void forget(String agentId) {
        latest.remove(agentId);
    }

    /** {@code huddle: woken by alice (claude-code): Please rebase…}, or by N messages, each on its own line. */
    static String line(List<String> headlines) {
        if (headlines.size() == 1) return "huddle: woken by " + headlines.getFirst();
        StringBuilder b = new StringBuilder("huddle: woken by ").append(headlines.size()).append(" messages");
        for (String h : headlines.subList(0, Math.min(MAX_SHOWN, headlines.size()))) b.append("\n  ").append(h);
        if (headlines.size() > MAX_SHOWN) b.append("\n  and ").append(headlines.size() - MAX_SHOWN).append(" more");
        return b.toString();
    }
}
