package dev.huddle.hub;

import dev.huddle.protocol.Settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HelloAndConfigTest {
    @Test
    void configDefaultsFileAndEnvironment(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        assertThat(HubConfig.load(f, Map.of())).isEqualTo(HubConfig.DEFAULTS);
        Files.writeString(f, "{\"hub_idle_exit_s\": 30, \"allow_cross_project\": true, \"retire_after_s\": \"x\"}");
        HubConfig c = HubConfig.load(f, Map.of("HUDDLE_LIVENESS_INTERVAL_MS", "250"));
        assertThat(c.idleExit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.allowCrossProject()).isTrue();
        assertThat(c.livenessInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.retireAfter()).isEqualTo(HubConfig.DEFAULTS.retireAfter());
        assertThat(c.problems()).singleElement().asString().contains("retire_after_s");
    }

    @Test
    void theKillSwitchComesFromHuddleWake(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        for (String off : List.of("off", "OFF", " off ", "0", "false", "No")) {
            assertThat(HubConfig.load(f, Map.of("HUDDLE_WAKE", off)).wakeSettings().killSwitch()).as(off)
                    .isEqualTo("HUDDLE_WAKE=" + off.strip() + " in the hub's environment");
        }
        for (String on : List.of("on", "auto", "1", "", "yes")) {
            assertThat(HubConfig.load(f, Map.of("HUDDLE_WAKE", on)).wakeSettings().killSwitch()).isNull();
        }
        assertThat(HubConfig.load(f, Map.of()).wakeSettings().killSwitch()).isNull();
        Files.writeString(f, "{\"wake\": false}");
        assertThat(HubConfig.load(f, Map.of()).wakeSettings().killSwitch()).isEqualTo("\"wake\": false in " + f);
        assertThat(HubConfig.load(f, Map.of("HUDDLE_WAKE", "off")).wakeSettings().killSwitch()).as("the environment outranks the file")
                .isEqualTo("HUDDLE_WAKE=off in the hub's environment");
    }

    @Test
    void theCataloguesDefaultsAreTheHubsDefaults() {
        var w = dev.huddle.core.wake.WakeSettings.DEFAULTS;
        assertThat(HubConfig.DEFAULTS.wakeSettings()).isEqualTo(w);
        assertThat(List.of(w.retryFirstDelay().toMillis(), (long) w.retryFactor(), (long) w.maxRetries(), w.repokeGrace().toMillis(),
                w.repokeSpacing().toMillis(), (long) w.repokeCap(), w.pullBackGrace().toMillis(), w.pullBackMaxAge().toMillis()))
                .containsExactly(Settings.WAKE_RETRY_FIRST_DELAY_MS.defaultLong(), Settings.WAKE_RETRY_FACTOR.defaultLong(),
                        Settings.WAKE_MAX_RETRIES.defaultLong(), Settings.WAKE_REPOKE_GRACE_MS.defaultLong(),
                        Settings.WAKE_REPOKE_SPACING_MS.defaultLong(), Settings.WAKE_REPOKE_CAP.defaultLong(),
                        Settings.WAKE_PULL_BACK_GRACE_MS.defaultLong(), Settings.WAKE_PULL_BACK_MAX_AGE_MS.defaultLong());
        assertThat(w.strategy().wireName()).isEqualTo(Settings.WAKE_STRATEGY.defaultValue());
        assertThat(w.killSwitch() == null).isEqualTo(Settings.WAKE.defaultOn());
        assertThat(dev.huddle.hub.claims.ClaimsModes.DEFAULT.fallback().wireName()).isEqualTo(Settings.CLAIMS_MODE.defaultValue());
    }

    @Test
    void keystrokeWakesAreOnUnlessTheFileOrTheEnvironmentSwitchesThemOff(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        assertThat(HubConfig.DEFAULTS.wakeTerminal()).isTrue();
        assertThat(HubConfig.load(f, Map.of()).wakeTerminal()).isTrue();
        for (String off : List.of("off", "OFF", " 0 ", "false", "no")) {
            HubConfig c = HubConfig.load(f, Map.of("HUDDLE_WAKE_TERMINAL", off));
            assertThat(c.wakeTerminal()).as(off).isFalse();
            assertThat(c.problems()).isEmpty();
        }
        Files.writeString(f, "{\"wake_terminal\": false}");
        assertThat(HubConfig.load(f, Map.of()).wakeTerminal()).isFalse();
        assertThat(HubConfig.load(f, Map.of("HUDDLE_WAKE_TERMINAL", "on")).wakeTerminal()).as("the environment wins").isTrue();
        HubConfig odd = HubConfig.load(f, Map.of("HUDDLE_WAKE_TERMINAL", "maybe"));
        assertThat(odd.wakeTerminal()).isFalse();
        assertThat(odd.problems()).singleElement().asString().contains("HUDDLE_WAKE_TERMINAL=maybe");
        Files.writeString(f, "{\"wake_terminal\": \"no\"}");
        HubConfig bad = HubConfig.load(f, Map.of());
        assertThat(bad.wakeTerminal()).isTrue();
        assertThat(bad.problems()).singleElement().asString().contains("wake_terminal must be true or false");
    }

    @Test
    void aMalformedConfigFileNeverStopsTheHub(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{not json");
        HubConfig c = HubConfig.load(f, Map.of("HUDDLE_HUB_IDLE_EXIT_S", "soon"));
        assertThat(c.idleExit()).isEqualTo(HubConfig.DEFAULTS.idleExit());
        assertThat(c.problems()).hasSize(2);
    }

    @Test
    void readSessionCanBeTurnedOffForAgents(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        assertThat(HubConfig.load(f, Map.of()).readSession()).isTrue();
        assertThat(HubConfig.load(f, Map.of("HUDDLE_READ_SESSION", "off")).readSession()).isFalse();
        Files.writeString(f, "{\"read_session\": false}");
        assertThat(HubConfig.load(f, Map.of()).readSession()).isFalse();
        Files.writeString(f, "{\"read_session\": \"no\"}");
        HubConfig c = HubConfig.load(f, Map.of());
        assertThat(c.readSession()).isTrue();
        assertThat(c.problems()).singleElement().asString().contains("read_session must be true or false");
    }

    @Test
    void theWakeTimersFiguresCanBeShortenedInTheConfigFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{\"wake_retry_first_delay_ms\": 1500, \"wake_retry_factor\": 2, \"wake_max_retries\": 2,"
                + " \"wake_repoke_grace_ms\": 3000, \"wake_repoke_spacing_ms\": 2500, \"wake_repoke_cap\": 2,"
                + " \"wake_pull_back_grace_ms\": 0, \"wake_pull_back_max_age_ms\": 60000, \"wake_strategy\": \"off\"}");
        var w = HubConfig.load(f, Map.of()).wakeSettings();
        assertThat(w.retryFirstDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(w.retryFactor()).isEqualTo(2);
        assertThat(w.maxRetries()).isEqualTo(2);
        assertThat(w.repokeGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(w.repokeSpacing()).isEqualTo(Duration.ofMillis(2500));
        assertThat(w.repokeCap()).isEqualTo(2);
        assertThat(w.pullBackGrace()).isZero();
        assertThat(w.pullBackMaxAge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(w.strategy()).isEqualTo(dev.huddle.core.wake.WakeSettings.Strategy.OFF);
        assertThat(w.debounce()).as("untouched").isEqualTo(dev.huddle.core.wake.WakeSettings.DEFAULTS.debounce());

        Files.writeString(f, "{\"wake_retry_factor\": 0, \"wake_repoke_cap\": \"three\"}");
        HubConfig bad = HubConfig.load(f, Map.of());
        assertThat(bad.wakeSettings()).isEqualTo(dev.huddle.core.wake.WakeSettings.DEFAULTS);
        assertThat(bad.problems()).hasSize(2).anySatisfy(p -> assertThat(p).contains("wake_retry_factor"))
                .anySatisfy(p -> assertThat(p).contains("wake_repoke_cap"));
    }

    @Test
    void claimsConfigPerProjectAndItsBadEntriesNeverStopTheHub(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"claim_edit_window_s\": 120, \"claims_mode\": {\"default\": \"ask\", \"/home/me/repo/\": \"warn\","
                + " \"relative/x\": \"deny\", \"/other\": \"maybe\"}}");
        HubConfig c = HubConfig.load(f, Map.of());
        assertThat(c.claimEditWindow()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.claimsModes().forProject("/home/me/repo")).isEqualTo(dev.huddle.core.claims.ClaimsMode.WARN);
        assertThat(c.claimsModes().forProject("/elsewhere")).isEqualTo(dev.huddle.core.claims.ClaimsMode.ASK);
        assertThat(c.problems()).hasSize(2).anyMatch(p -> p.contains("relative/x")).anyMatch(p -> p.contains("claims_mode./other"));

        Files.writeString(f, "{\"claim_edit_window_s\": 0, \"claims_mode\": \"warn\"}");
        c = HubConfig.load(f, Map.of());
        assertThat(c.claimEditWindow()).isEqualTo(dev.huddle.hub.claims.Claims.DEFAULT_EDIT_WINDOW);
        assertThat(c.claimsModes().forProject("/any")).isEqualTo(dev.huddle.core.claims.ClaimsMode.WARN);
        assertThat(c.problems()).singleElement().asString().contains("claim_edit_window_s");

        Files.writeString(f, "{\"claims_mode\": 7}");
        c = HubConfig.load(f, Map.of());
        assertThat(c.claimsModes()).isEqualTo(dev.huddle.hub.claims.ClaimsModes.DEFAULT);
        assertThat(c.problems()).singleElement().asString().contains("claims_mode must be");
    }
}
