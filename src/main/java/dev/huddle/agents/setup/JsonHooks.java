package dev.huddle.agents.setup;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookSpec;
import dev.huddle.agents.setup.Change.Action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * huddle's hooks in a JSON settings file ({@code hooks.<Event>} → matcher groups → handlers; the same nesting
 * for every client huddle installs hooks into). Our handlers are recognised by {@link HookCommands#isOurs}; other
 * tools' handlers, groups and events are never touched.
 */
final class JsonHooks {
    static final String HOOKS = "hooks";

    /** One of our handlers: {@code hooks.<event>[group].hooks[handler]}; {@code command} is an http handler's URL. */
    record Ours(String event, int group, int handler, Object value, String command) {
        List<Object> path() {
            return List.of(HOOKS, event, group, HOOKS, handler);
        }
    }

    private JsonHooks() {}

    /**
     * The handler we install for {@code spec}: one command, or a URL the client POSTs to itself where it can
     * ({@link SetupContext#url}), with a short timeout in the client's unit.
     */
    static Map<String, Object> handler(HookSpec spec, SetupContext ctx) {
        ClientSetup client = ClientFiles.setup(spec.client());
        Map<String, Object> h = new LinkedHashMap<>();
        if (client.namesHookHandlers()) h.put("name", "huddle-" + spec.event());
        String url = ctx.url(spec);
        if (url != null) {
            h.put("type", "http");
            h.put("url", url);
            h.put("timeout", client.hookTimeout(spec));
            return h;
        }
        h.put("type", "command");
        h.put("command", ctx.command(spec));
        if (spec.rewake()) {
            // Runs in the background after each turn; exit 2 wakes the idle session with what it printed.
            h.put("async", true);
            h.put("asyncRewake", true);
            h.put("timeout", (long) HookCommands.REWAKE_WAIT_S);
            h.putAll(client.rewakeLabels());
            return h;
        }
        h.put("timeout", client.hookTimeout(spec));
        return h;
    }

    /** Our handlers on {@code event}, in file order. */
    static List<Ours> ours(JsoncDocument doc, String event) {
        List<Ours> found = new ArrayList<>();
        if (!(doc.get(List.of(HOOKS, event)).orElse(null) instanceof List<?> groups)) return found;
        for (int g = 0; g < groups.size(); g++) {
            if (!(groups.get(g) instanceof Map<?, ?> group) || !(group.get(HOOKS) instanceof List<?> handlers)) continue;
            for (int h = 0; h < handlers.size(); h++) {
                if (!(handlers.get(h) instanceof Map<?, ?> m)) continue;
                Object what = m.get("command") instanceof String cmd ? cmd : m.get("url");
                if (what instanceof String cmd && HookCommands.isOurs(cmd)) found.add(new Ours(event, g, h, m, cmd));
            }
        }
        return found;
    }

    /** The events present under {@code hooks}. */
    static List<String> events(JsoncDocument doc) {
        return doc.get(List.of(HOOKS)).orElse(null) instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * Installs one handler per spec: added where none of ours is, replaced in place where ours differs (an older
     * version, another socket), duplicates collapsed; ours on events the catalog no longer has are removed.
     */
    static JsoncDocument install(JsoncDocument doc, List<HookSpec> specs, SetupContext ctx, List<Change> changes)
            throws ConfigProblem {
        if (doc.root() != null && !(doc.root() instanceof JsoncNode.Container c && c.object())) {
            throw new ConfigProblem("the top level is not a JSON object");
        }
        for (HookSpec spec : specs) {
            String item = HOOKS + "." + spec.event() + (spec.endpoint().equals(spec.event()) ? "" : " (" + spec.endpoint() + ")");
            Map<String, Object> want = handler(spec, ctx);
            List<Ours> ours = ours(doc, spec.event()).stream()
                    .filter(o -> HookCommands.endpointOf(o.command()).orElse(spec.event()).equals(spec.endpoint())).toList();
            if (ours.isEmpty()) {
                Map<String, Object> group = new LinkedHashMap<>();
                if (spec.matcher() != null) group.put("matcher", spec.matcher());
                group.put(HOOKS, List.of(want));
                doc = doc.append(List.of(HOOKS, spec.event()), group);
                changes.add(Change.of(item, Action.ADDED));
                continue;
            }
            Ours first = ours.getFirst();
            String detail = "";
            if (!want.equals(first.value())) {
                doc = doc.set(first.path(), want);
                detail = describeUpgrade(first.command(), want);
            }
            List<Object> matcherPath = List.of(HOOKS, first.event(), first.group(), "matcher");
            Object matcher = doc.get(matcherPath).orElse(null);
            if (spec.matcher() != null && !spec.matcher().equals(matcher)) {
                doc = doc.set(matcherPath, spec.matcher());
                detail = join(detail, "matcher " + spec.matcher());
            }
            doc = remove(doc, ours.subList(1, ours.size()));
            if (ours.size() > 1) detail = join(detail, (ours.size() - 1) + " duplicate" + (ours.size() > 2 ? "s" : "") + " removed");
            changes.add(new Change(item, detail.isEmpty() ? Action.UNCHANGED : Action.UPDATED, detail));
        }
        List<String> wanted = specs.stream().map(HookSpec::event).toList();
        for (String event : events(doc)) {
            if (wanted.contains(event)) continue;
            List<Ours> stale = ours(doc, event);
            if (stale.isEmpty()) continue;
            doc = remove(doc, stale);
            changes.add(new Change(HOOKS + "." + event, Action.REMOVED, "huddle no longer uses this hook"));
        }
        return doc;
    }

    /** Removes all our handlers, and the groups, event arrays and {@code hooks} object that leaves empty. */
    static JsoncDocument uninstall(JsoncDocument doc, List<Change> changes) {
        boolean removed = false;
        for (String event : events(doc)) {
            List<Ours> ours = ours(doc, event);
            if (ours.isEmpty()) continue;
            doc = remove(doc, ours);
            changes.add(Change.of(HOOKS + "." + event, Action.REMOVED));
            removed = true;
        }
        if (removed && doc.get(List.of(HOOKS)).orElse(null) instanceof Map<?, ?> m && m.isEmpty()) {
            doc = doc.remove(List.of(HOOKS));
        }
        return doc;
    }

    /** Removes handlers (last first, so earlier indices stay valid), then what they leave empty. */
    private static JsoncDocument remove(JsoncDocument doc, List<Ours> which) {
        for (Ours o : which.reversed()) {
            doc = doc.remove(o.path());
            List<Object> groupPath = List.of(HOOKS, o.event(), o.group());
            if (doc.get(groupPath).orElse(null) instanceof Map<?, ?> g && g.get(HOOKS) instanceof List<?> l && l.isEmpty()) {
                doc = doc.remove(groupPath);
            }
            if (doc.get(List.of(HOOKS, o.event())).orElse(null) instanceof List<?> l && l.isEmpty()) {
                doc = doc.remove(List.of(HOOKS, o.event()));
            }
        }
        return doc;
    }

    private static String describeUpgrade(String oldCommand, Map<String, Object> want) {
        OptionalInt v = HookCommands.versionOf(oldCommand);
        if (v.isPresent() && v.getAsInt() != HookCatalog.VERSION) return "v" + v.getAsInt() + " → v" + HookCatalog.VERSION;
        boolean wasHttp = HookCommands.portOf(oldCommand).isPresent();
        if (!wasHttp && "http".equals(want.get("type"))) return "curl → http (no process per hook)";
        if (wasHttp && !"http".equals(want.get("type"))) return "http → command";
        return "command, URL or timeout changed";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
