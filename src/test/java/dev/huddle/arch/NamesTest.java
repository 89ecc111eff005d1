package dev.huddle.arch;

import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookSpec;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.tools.ToolContract;
import dev.huddle.protocol.tools.Tools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names typed twice drift apart (the cockpit's nudge once told agents to call {@code list_open_work}, a tool that
 * never existed). Every text of the product and its documents that names a tool, a hook event or a setting names one
 * that exists: a tool of {@link Tools}, a hook event of {@link HookCatalog}, a variable of {@link Settings}.
 *
 * <p>Config keys ({@code allow_cross_project}) are named from {@link Settings} in the product's texts, never typed; a
 * key a text or document names in a config context ({@code "x": true in config.json}, {@code config `x`}) exists.
 * A key that is also a tool's name ({@code read_session}) counts as the key only in such a context.
 *
 * <p>A name counts as a tool's where a text uses it as one: called ({@code ask_peer(...)}), after "call" or "tool",
 * or listed together with a real tool ({@code read_my_messages, list_open_work}); in docs/tools.md, also as a
 * section heading. Hook events are the clients' CamelCase event names ({@code PreToolUse}, {@code BeforeAgent}).
 */
class NamesTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final String SNAKE = "[a-z]+(?:_[a-z]+)+";
    private static final Pattern CALLED = Pattern.compile("(?<![\\w.$-])(" + SNAKE + ")\\(");
    private static final Pattern AFTER_CALL = Pattern.compile("\\b(?:[Cc]all|[Cc]alls|[Cc]alling|tools?)\\s+`?(" + SNAKE + ")\\b");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{2,4} `(" + SNAKE + ")`");
    private static final Pattern SQL = Pattern.compile("^\\s*(?:PRAGMA|SELECT|INSERT|UPDATE|DELETE|CREATE|WITH)\\b");
    private static final Pattern HOOK_EVENT = Pattern.compile(
            "\\b((?:Pre|Post|Before|After|Session|Subagent|User|Notification)[A-Z][A-Za-z]*|PreCompact|Notification)\\b");
    private static final Pattern HUDDLE_VARIABLE = Pattern.compile("\\bHUDDLE_[A-Z0-9_]*[A-Z0-9]\\b");

    private static final Pattern SNAKE_WORD = Pattern.compile("(?<![\\w.$/-])(" + SNAKE + ")(?![\\w(])");
    /** A config key named as one: {@code config `x`}, {@code config key x}, {@code x in $HUDDLE_HOME/config.json}, {@code config.json (`x`}. */
    private static final Pattern CONFIG_NAMED = Pattern.compile("\\bconfig(?: key)?\\s+`?(" + SNAKE + ")\\b|`?(" + SNAKE
            + ")`? in `?(?:\\$HUDDLE_HOME/)?config\\.json|config\\.json`?\\s*\\(`?(" + SNAKE + ")\\b");
    /** A JSON key ({@code "x":}, escaped in Java), a config key in a line that names config.json. */
    private static final Pattern JSON_KEY = Pattern.compile("\\\\?\"(" + SNAKE + ")\\\\?\"\\s*:");
    private static final Set<String> CONFIG_KEYS = Settings.configKeys().stream().map(Settings::key)
            .collect(Collectors.toCollection(TreeSet::new));

    private static final Set<String> TOOLS = Tools.ALL.stream().map(ToolContract::name).collect(Collectors.toCollection(TreeSet::new));

    /** A snake_case name listed with a real tool: "read_my_messages, X", "X or ask_peer", "claim_paths/X". */
    private static final Pattern LISTED_WITH_A_TOOL;

    static {
        String tool = TOOLS.stream().sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("|"));
        String join = "`?(?:, | or | and |/)`?";
        LISTED_WITH_A_TOOL = Pattern.compile("\\b(?:" + tool + ")" + join + "(" + SNAKE + ")\\b|\\b(" + SNAKE + ")" + join + "(?:" + tool + ")\\b");
    }

    @Test
    void everyToolNamedInATextExists() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (Text t : mainStrings()) {
            if (!SQL.matcher(t.text()).find()) toolNames(t, CALLED, unknown);
            toolNames(t, AFTER_CALL, unknown);
            toolNames(t, LISTED_WITH_A_TOOL, unknown);
        }
        for (Path doc : documents()) {
            Text t = new Text(doc.toString(), Files.readString(doc));
            toolNames(t, AFTER_CALL, unknown);
            toolNames(t, LISTED_WITH_A_TOOL, unknown);
            if (doc.endsWith("tools.md")) toolNames(t, HEADING, unknown);
        }
        assertThat(unknown).as("texts naming a tool that protocol.tools.Tools does not have (%s)", TOOLS).isEmpty();
    }

    @Test
    void theCheckCatchesTheNudgeThatNamedAToolThatNeverExisted() {
        List<String> unknown = new ArrayList<>();
        toolNames(new Text("nudge", "Read what is waiting (read_my_messages, list_open_work) and carry on."), LISTED_WITH_A_TOOL, unknown);
        toolNames(new Text("hint", "Call list_open_work to see them."), AFTER_CALL, unknown);
        toolNames(new Text("demo", "my_open_work() then list_open_work()"), CALLED, unknown);
        assertThat(unknown).hasSize(3).allMatch(u -> u.contains("list_open_work"));
    }

    @Test
    void everyConfigKeyNamedInATextExists() throws IOException {
        List<Text> texts = new ArrayList<>(mainStrings());
        for (Path doc : documents()) texts.add(new Text(doc.toString(), Files.readString(doc)));
        List<String> unknown = new ArrayList<>();
        for (Text t : texts) unknown.addAll(unknownConfigKeys(t));
        assertThat(unknown).as("texts naming a config key that protocol.Settings does not have (%s)", CONFIG_KEYS).isEmpty();
    }

    @Test
    void theProductTakesTheConfigKeysItNamesFromTheCatalogue() throws IOException {
        List<String> typed = new ArrayList<>();
        for (Text t : mainStrings()) {
            // the catalogue itself; tools (bench, demo) write their own hubs' config files as a user would
            if (t.where().equals("dev/huddle/protocol/Settings.java") || t.where().startsWith("dev/huddle/tools/")) continue;
            typed.addAll(typedConfigKeys(t));
        }
        assertThat(typed).as("config keys typed in a text instead of taken from protocol.Settings (Settings.X.key())").isEmpty();
    }

    @Test
    void theConfigKeyChecksCatchATypoAndATypedKeyButNotATool() {
        assertThat(unknownConfigKeys(new Text("hint", "set \\\"allow_cros_project\\\": true in $HUDDLE_HOME/config.json"))).hasSize(1);
        assertThat(unknownConfigKeys(new Text("doc", "the opt-outs (`agents.readable`, config `read_sessions`)"))).hasSize(1);
        assertThat(unknownConfigKeys(new Text("doc", "`\"read_session\": false` in `$HUDDLE_HOME/config.json`"))).isEmpty();
        assertThat(typedConfigKeys(new Text("hint", "with \\\"allow_cross_project\\\": true in $HUDDLE_HOME/config.json."))).hasSize(1);
        assertThat(typedConfigKeys(new Text("hint", "the edit goes ahead (claims_mode is warn)"))).hasSize(1);
        assertThat(typedConfigKeys(new Text("tool", "read_session reads peers' sessions"))).isEmpty();
        assertThat(typedConfigKeys(new Text("tool", "read_session"))).isEmpty();
    }

    private static List<String> unknownConfigKeys(Text t) {
        List<String> unknown = new ArrayList<>();
        for (String line : t.text().split("\\n")) {
            List<Matcher> ms = new ArrayList<>(List.of(CONFIG_NAMED.matcher(line)));
            if (line.contains("config.json")) ms.add(JSON_KEY.matcher(line));
            for (Matcher m : ms) {
                while (m.find()) {
                    String key = firstGroup(m);
                    if (!CONFIG_KEYS.contains(key) && !TOOLS.contains(key)) unknown.add(t.where() + ": " + key + " in \"" + excerpt(line, m.start()) + "\"");
                }
            }
        }
        return unknown;
    }

    private static List<String> typedConfigKeys(Text t) {
        List<String> typed = new ArrayList<>();
        Matcher m = SNAKE_WORD.matcher(t.text());
        while (m.find()) {
            String key = m.group(1);
            if (!CONFIG_KEYS.contains(key)) continue;
            boolean asConfig = !TOOLS.contains(key) || t.text().contains("config") || JSON_KEY.matcher(t.text()).find();
            if (asConfig) typed.add(t.where() + ": " + key + " in \"" + excerpt(t.text(), m.start()) + "\"");
        }
        return typed;
    }

    private static String firstGroup(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) if (m.group(g) != null) return m.group(g);
        throw new IllegalStateException("no group matched");
    }

    @Test
    void everyHookEventNamedInATextIsInstalled() throws IOException {
        Set<String> events = HookCatalog.all().stream().map(HookSpec::event).collect(Collectors.toCollection(TreeSet::new));
        List<String> unknown = new ArrayList<>();
        List<Text> texts = new ArrayList<>(mainStrings());
        for (Path doc : documents()) texts.add(new Text(doc.toString(), Files.readString(doc)));
        for (Text t : texts) {
            Matcher m = HOOK_EVENT.matcher(t.text());
            while (m.find()) if (!events.contains(m.group(1))) unknown.add(t.where() + ": " + m.group(1));
        }
        assertThat(unknown).as("texts naming a hook event that agents.HookCatalog does not install (%s)", events).isEmpty();
    }

    @Test
    void everyHuddleVariableNamedAnywhereIsCatalogued() throws IOException {
        Set<String> catalogued = Settings.environment().stream().map(Settings::env).collect(Collectors.toCollection(TreeSet::new));
        List<String> unknown = new ArrayList<>();
        List<Path> files = new ArrayList<>(javaFiles());
        files.addAll(documents());
        for (Path f : files) {
            Matcher m = HUDDLE_VARIABLE.matcher(Files.readString(f));
            while (m.find()) if (!catalogued.contains(m.group())) unknown.add(f + ": " + m.group());
        }
        // The launcher's own shell variables are assigned before use; one it reads from the caller must be catalogued.
        String launcher = Files.readString(Path.of("huddle"));
        Matcher m = HUDDLE_VARIABLE.matcher(launcher);
        while (m.find()) {
            String v = m.group();
            boolean own = Pattern.compile("(?m)^" + v + "=(?!.*\\$\\{?" + v + "\\b)").matcher(launcher).find();
            if (!own && !catalogued.contains(v)) unknown.add("huddle: " + v);
        }
        assertThat(unknown).as("HUDDLE_* variables that protocol.Settings does not catalogue").isEmpty();
    }

    // ---- the texts ----------------------------------------------------------------------------------------------

    private record Text(String where, String text) {}

    private static void toolNames(Text t, Pattern p, List<String> unknown) {
        Matcher m = p.matcher(t.text());
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            if (!TOOLS.contains(name)) unknown.add(t.where() + ": " + name + " in \"" + excerpt(t.text(), m.start()) + "\"");
        }
    }

    private static String excerpt(String text, int at) {
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 60)).replace('\n', ' ');
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** Every string literal and text block of the product's sources. */
    private static List<Text> mainStrings() throws IOException {
        List<Text> out = new ArrayList<>();
        for (Path f : javaFiles()) {
            String where = MAIN.relativize(f).toString();
            for (String s : JavaStrings.of(Files.readString(f))) out.add(new Text(where, s));
        }
        return out;
    }

    /** The string literals of a Java source, comments and character literals skipped (escapes left as written). */
    static final class JavaStrings {
        private JavaStrings() {}

        static List<String> of(String src) {
            List<String> out = new ArrayList<>();
            int i = 0;
            int n = src.length();
            while (i < n) {
                char c = src.charAt(i);
                if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                    i = src.indexOf('\n', i);
                    if (i < 0) break;
                } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                    i = src.indexOf("*/", i + 2);
                    if (i < 0) break;
                    i += 2;
                } else if (src.startsWith("\"\"\"", i)) {
                    int end = src.indexOf("\"\"\"", i + 3);
                    while (end > 0 && src.charAt(end - 1) == '\\') end = src.indexOf("\"\"\"", end + 1);
                    if (end < 0) break;
                    out.add(src.substring(i + 3, end));
                    i = end + 3;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n && src.charAt(j) != c) j += src.charAt(j) == '\\' ? 2 : 1;
                    if (c == '"') out.add(src.substring(i + 1, Math.min(j, n)));
                    i = j + 1;
                } else {
                    i++;
                }
            }
            return out;
        }
    }
}
