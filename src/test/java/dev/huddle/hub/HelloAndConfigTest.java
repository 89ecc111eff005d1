package dev.huddle.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HelloAndConfigTest {
    private static Hello parse(String json) {
        return Hello.parse(JsonMapper.shared().readTree(json));
    }

    @Test
    void parsesAFrontHello() {
        Hello h = parse("{\"huddle\":1,\"kind\":\"mcp\",\"version\":\"0.1.0\",\"build\":\"b\",\"pid\":5,\"ppid\":4,"
                + "\"ppid_start_ms\":123,\"cwd\":\"/w\",\"env\":{\"CLAUDECODE\":\"1\",\"BAD\":7},\"resume\":true}");
        assertThat(h.kind()).isEqualTo("mcp");
        assertThat(h.ppid()).isEqualTo(4L);
        assertThat(h.ppidStartMs()).isEqualTo(123L);
        assertThat(h.env()).containsExactly(Map.entry("CLAUDECODE", "1"));
        assertThat(h.resume()).isTrue();
    }

    @Test
    void rejectsWhatIsNotAHello() {
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}")).hasMessageContaining("huddle");
        assertThatThrownBy(() -> parse("{\"huddle\":1,\"kind\":\"x\"}")).hasMessageContaining("kind");
        assertThatThrownBy(() -> parse("{\"huddle\":1,\"kind\":\"mcp\",\"cwd\":\"relative\"}")).hasMessageContaining("absolute");
        assertThat(parse("{\"huddle\":1,\"kind\":\"mcp\",\"ppid\":-3}").ppid()).isNull();
    }

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
}
