package dev.huddle.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings catalogue and the documents that describe it agree: README.md's table of environment variables lists
 * exactly the catalogue's user-facing variables, its config.json table exactly the catalogue's keys with their
 * defaults, and docs/tools.md gives no other default for a key.
 */
class SettingsTest {
    private static final Pattern ENV_ROW = Pattern.compile("^\\| `(HUDDLE_[A-Z0-9_]+)(?:=[^`]*)?` \\|");
    private static final Pattern KEY_ROW = Pattern.compile("^\\| `([a-z][a-z0-9_]*)` \\| `([^`]*)` \\|");
    private static final Pattern KEY_WITH_DEFAULT = Pattern.compile("`([a-z][a-z0-9_]*)` \\((\\d+)\\)");

    private static List<String> readmeSettingsSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("## Environment variables");
        int to = readme.indexOf("\n## ", from + 1);
        assertThat(from).as("README.md has an \"Environment variables\" section").isNotNegative();
        return readme.substring(from, to < 0 ? readme.length() : to).lines().toList();
    }

    @Test
    void readmeDocumentsExactlyTheUserFacingVariables() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : readmeSettingsSection()) {
            Matcher m = ENV_ROW.matcher(line);
            if (m.find()) assertThat(documented.add(m.group(1))).as("%s documented twice", m.group(1)).isTrue();
        }
        Set<String> catalogued = new TreeSet<>();
        for (Settings s : Settings.environment()) if (s.audience() == Settings.Audience.USER) catalogued.add(s.env());
        assertThat(documented).as("README.md's environment variables vs. the catalogue (protocol.Settings)").isEqualTo(catalogued);
    }

    @Test
    void readmeDocumentsEveryConfigKeyWithItsDefault() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : readmeSettingsSection()) {
            Matcher m = KEY_ROW.matcher(line);
            if (m.find()) assertThat(documented.put(m.group(1), m.group(2))).as("%s documented twice", m.group(1)).isNull();
        }
        Map<String, String> catalogued = new LinkedHashMap<>();
        for (Settings s : Settings.configKeys()) catalogued.put(s.key(), s.jsonDefault());
        assertThat(documented).as("README.md's config.json keys and defaults vs. the catalogue (protocol.Settings)")
                .containsExactlyInAnyOrderEntriesOf(catalogued);
    }

    @Test
    void theToolsDocumentGivesTheCataloguesDefaults() throws IOException {
        List<String> wrong = new ArrayList<>();
        Matcher m = KEY_WITH_DEFAULT.matcher(Files.readString(Path.of("docs/tools.md")));
        int seen = 0;
        while (m.find()) {
            var s = Settings.byKey(m.group(1));
            if (s.isEmpty() || s.get().type() != Settings.Type.INTEGER) continue;
            seen++;
            if (s.get().defaultLong() != Long.parseLong(m.group(2))) wrong.add(m.group(0) + " (catalogue: " + s.get().defaultLong() + ")");
        }
        assertThat(seen).as("docs/tools.md names the wake timers' defaults").isPositive();
        assertThat(wrong).as("defaults in docs/tools.md that differ from protocol.Settings").isEmpty();
    }

    @Test
    void everyEntryIsWhole() {
        for (Settings s : Settings.values()) {
            assertThat(s.env() != null || s.key() != null).as("%s has a name", s).isTrue();
            if (s.env() != null) assertThat(s.env()).as("%s", s).startsWith("HUDDLE_");
            if (s.key() != null) assertThat(s.key()).as("%s", s).matches("[a-z][a-z0-9_]*");
            assertThat(s.meaning()).as("%s", s).isNotBlank();
            if (s.key() != null) assertThat(s.defaultValue()).as("%s: a config key has a default", s).isNotNull();
            if (s.key() != null && s.type() == Settings.Type.INTEGER) {
                assertThat(s.defaultLong()).as("%s: the default is in range", s).isBetween(s.min(), s.max());
            }
        }
    }

    @Test
    void environmentValuesAreReadAsTheHubAlwaysDid() {
        List<String> problems = new ArrayList<>();
        assertThat(Settings.WAKE_TERMINAL.switchIn(Map.of("HUDDLE_WAKE_TERMINAL", " No "), true, problems)).isFalse();
        assertThat(Settings.WAKE_TERMINAL.switchIn(Map.of("HUDDLE_WAKE_TERMINAL", " "), false, problems)).isFalse();
        assertThat(Settings.HUB_IDLE_EXIT_S.integerIn(Map.of("HUDDLE_HUB_IDLE_EXIT_S", " 30 "), 600, problems)).isEqualTo(30);
        assertThat(problems).isEmpty();
        assertThat(Settings.HUB_IDLE_EXIT_S.integerIn(Map.of("HUDDLE_HUB_IDLE_EXIT_S", "-1"), 600, problems)).isEqualTo(600);
        assertThat(problems).containsExactly("HUDDLE_HUB_IDLE_EXIT_S=-1 is not a non-negative integer; using 600");
        assertThat(Settings.WAKE.saysOff(Map.of("HUDDLE_WAKE", "OFF"))).isTrue();
        assertThat(Settings.WAKE.saysOff(Map.of("HUDDLE_WAKE", "auto"))).isFalse();
        assertThat(Settings.WAKE.saysOff(Map.of())).isFalse();
    }
}
