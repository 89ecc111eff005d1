package dev.huddle.agents.setup;

import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of huddle's hooks a client has, in its user and project settings, and whether they are current: for
 * {@code huddle doctor}. Reads only.
 *
 * @param files        the files that hold at least one of our hooks
 * @param current      catalog events with a hook of this version
 * @param stale        catalog events whose hook has another version (event → that version)
 * @param missing      catalog events with none of our hooks
 * @param sockets      the sockets our curl hooks call
 * @param ports        the loopback ports our http hooks POST to
 * @param launcherForm whether any hook runs the launcher instead of curl
 * @param problems     files that could not be read or parsed
 */
public record InstalledHooks(HookClient client, List<Path> files, List<String> current, Map<String, Integer> stale,
                             List<String> missing, Set<String> sockets, Set<Integer> ports, boolean launcherForm, List<String> problems) {
    private static final Pattern SOCKET = Pattern.compile("--unix-socket ('(?:[^']|'\\\\'')*')");

    public boolean none() {
        return current.isEmpty() && stale.isEmpty();
    }

    public static InstalledHooks inspect(HookClient client, Path home, Map<String, String> env, Path projectRoot) {
        List<Path> candidates = new ArrayList<>(List.of(ClientFiles.of(client, Scope.USER, home, env, null).hooksFile()));
        if (projectRoot != null) candidates.add(ClientFiles.of(client, Scope.PROJECT, home, env, projectRoot).hooksFile());
        List<Path> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> versions = new LinkedHashMap<>(); // event -> best version seen
        Set<String> sockets = new LinkedHashSet<>();
        Set<Integer> ports = new LinkedHashSet<>();
        boolean launcher = false;
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) continue;
            JsoncDocument doc;
            try {
                doc = JsoncDocument.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.add("cannot read " + file + " (" + e.getMessage() + ")");
                continue;
            } catch (JsoncException e) {
                problems.add(file + " does not parse (" + e.getMessage() + ")");
                continue;
            }
            boolean any = false;
            for (String event : JsonHooks.events(doc)) {
                for (JsonHooks.Ours o : JsonHooks.ours(doc, event)) {
                    any = true;
                    int v = HookCommands.versionOf(o.command()).orElse(-1);
                    versions.merge(HookCommands.endpointOf(o.command()).orElse(event), v, (a, b) -> a == HookCatalog.VERSION || b == HookCatalog.VERSION ? HookCatalog.VERSION : Math.max(a, b));
                    Matcher m = SOCKET.matcher(o.command());
                    java.util.OptionalInt port = HookCommands.portOf(o.command());
                    if (port.isPresent()) ports.add(port.getAsInt());
                    else if (m.find()) sockets.add(unquote(m.group(1)));
                    else launcher = true;
                }
            }
            if (any) files.add(file);
        }
        List<String> current = new ArrayList<>();
        Map<String, Integer> stale = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (HookSpec spec : HookCatalog.forClient(client)) {
            Integer v = versions.get(spec.endpoint());
            if (v == null) missing.add(spec.endpoint());
            else if (v == HookCatalog.VERSION) current.add(spec.endpoint());
            else stale.put(spec.endpoint(), v);
        }
        return new InstalledHooks(client, files, current, stale, missing, sockets, ports, launcher, problems);
    }

    /** Undoes {@link HookCommands#shellQuote}. */
    static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("'\\''", "'");
    }
}
