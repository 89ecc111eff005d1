package dev.huddle.protocol;

import dev.huddle.protocol.control.HelloLine;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hello line, as clients write it and the hub validates it. */
class HelloTest {
    @Test
    void aFrontsHelloGoesOnTheWireAsTheHubReadsIt() {
        Hello sent = Hello.front(4L, 123L, "/w", Map.of("CLAUDECODE", "1")).resuming(true).autostarting(false).acknowledgingDeliveries(true);
        String line = HelloLine.of(sent);
        assertThat(line).startsWith("{\"huddle\":1,\"kind\":\"mcp\",\"version\":\"" + Version.CURRENT.version() + "\",")
                .contains("\"pid\":" + ProcessHandle.current().pid(), "\"ppid\":4,\"ppid_start_ms\":123,\"cwd\":\"/w\",\"env\":{\"CLAUDECODE\":\"1\"}",
                        "\"resume\":true,\"autostart\":false", "\"delivery_acks\":true")
                .doesNotContain("\"op\"", "\"args\"");
        Hello read = Hello.parse(line);
        assertThat(read).isEqualTo(new Hello(sent.kind(), sent.version(), sent.build(), sent.pid(), 4L, 123L, "/w", Map.of("CLAUDECODE", "1"),
                true, false, null, Map.of(), true));
        assertThat(Hello.parse(HelloLine.of(Hello.front(null, null, "/w", Map.of()))).ppid()).as("an unknown parent is left out").isNull();
    }

    @Test
    void aControlHelloGoesOnTheWireAsTheHubReadsIt() {
        Hello read = Hello.parse(HelloLine.of(Hello.control("ps", Map.of("all", true), "/r").autostarting(false)));
        assertThat(read.kind()).isEqualTo(Hello.CONTROL);
        assertThat(read.op()).isEqualTo("ps");
        assertThat(read.args()).containsExactly(Map.entry("all", true));
        assertThat(read.cwd()).isEqualTo("/r");
        assertThat(read.env()).isEmpty();
        assertThat(read.autostart()).isFalse();
        assertThat(read.version()).isEqualTo(Version.CURRENT.version());
    }

    @Test
    void parsesAFrontHello() {
        Hello h = Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"version\":\"0.1.0\",\"build\":\"b\",\"pid\":5,\"ppid\":4,"
                + "\"ppid_start_ms\":123,\"cwd\":\"/w\",\"env\":{\"CLAUDECODE\":\"1\",\"BAD\":7},\"resume\":true}");
        assertThat(h.kind()).isEqualTo("mcp");
        assertThat(h.ppid()).isEqualTo(4L);
        assertThat(h.ppidStartMs()).isEqualTo(123L);
        assertThat(h.env()).containsExactly(Map.entry("CLAUDECODE", "1"));
        assertThat(h.resume()).isTrue();
        assertThat(h.autostart()).isTrue();
        assertThat(h.args()).isEmpty();
    }

    @Test
    void rejectsWhatIsNotAHello() {
        assertThatThrownBy(() -> Hello.parse("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> Hello.parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}")).hasMessageContaining("huddle");
        assertThatThrownBy(() -> Hello.parse("{\"huddle\":1,\"kind\":\"x\"}")).hasMessageContaining("kind");
        assertThatThrownBy(() -> Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"cwd\":\"relative\"}")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Hello.parse("{\"huddle\":1.0,\"kind\":\"mcp\"}")).hasMessageContaining("huddle");
        assertThatThrownBy(() -> Hello.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"ppid\":-3}").ppid()).isNull();
    }

    @Test
    void keepsTheLimitsOnWhatAFrontForwards() {
        String longValue = "x".repeat(Hello.MAX_ENV_VALUE + 1);
        Hello h = Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"env\":{\"A\":\"" + longValue + "\",\"B\":\"ok\"}}");
        assertThat(h.env()).containsExactly(Map.entry("B", "ok"));
        assertThatThrownBy(() -> Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"cwd\":\"/" + "d".repeat(4096) + "\"}"))
                .hasMessageContaining("absolute");
    }

    @Test
    void aControlHelloCarriesItsOperationAndArguments() {
        Hello h = Hello.parse("{\"huddle\":1,\"kind\":\"control\",\"op\":\"ps\",\"args\":{\"all\":true},\"autostart\":false,\"cwd\":\"/r\"}");
        assertThat(h.op()).isEqualTo("ps");
        assertThat(h.args()).containsExactly(Map.entry("all", true));
        assertThat(h.autostart()).isFalse();
        assertThat(h.version()).isEqualTo("0.0.0");
        assertThat(h.build()).isEmpty();
    }
}
