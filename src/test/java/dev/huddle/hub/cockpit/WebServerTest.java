package dev.huddle.hub.cockpit;

import dev.huddle.protocol.control.ControlFailure;
import dev.huddle.protocol.control.SendReceipt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The web server's own rules, in process (WebIT covers the page, the stream and the actions against a real hub). */
class WebServerTest {
    private static final WebOperator NOBODY = new WebOperator() {
        @Override
        public String projectOf(String directory) {
            return directory;
        }

        @Override
        public SendReceipt send(String project, String target, String body) {
            throw new ControlFailure("target-not-found", "no agent matches '" + target + "'");
        }

        @Override
        public SendReceipt nudge(String project, String target) {
            return send(project, target, "");
        }
    };

    @Test
    void aRunHasOneTokenAndANewRunANewOne() throws Exception {
        WebServer web = new WebServer(null, NOBODY);
        try {
            WebServer.Info first = web.start(0);
            assertThat(first.started()).isTrue();
            assertThat(first.port()).isPositive();
            assertThat(first.token()).matches("[A-Za-z0-9_-]{32}"); // 24 random bytes
            assertThat(first.base()).isEqualTo("http://127.0.0.1:" + first.port() + "/");
            WebServer.Info again = web.start(0);
            assertThat(again.started()).isFalse();
            assertThat(again.token()).isEqualTo(first.token());
            assertThat(web.start(first.port()).token()).isEqualTo(first.token());

            assertThat(web.tokenMatches(first.token())).isTrue();
            assertThat(web.tokenMatches(first.token() + "x")).isFalse();
            assertThat(web.tokenMatches("")).isFalse();
            assertThat(web.tokenMatches(null)).isFalse();
            assertThat(web.hostAllowed("127.0.0.1:" + first.port())).isTrue();
            assertThat(web.hostAllowed("LOCALHOST:" + first.port())).isTrue();
            assertThat(web.hostAllowed("127.0.0.1")).isFalse();
            assertThat(web.hostAllowed("attacker.example:" + first.port())).isFalse();
            assertThat(web.hostAllowed(null)).isFalse();

            int other = freePort();
            WebServer.Info moved = web.start(other);
            assertThat(moved.port()).isEqualTo(other);
            assertThat(moved.started()).isTrue();
            assertThat(moved.token()).isNotEqualTo(first.token());
            assertThat(web.tokenMatches(first.token())).isFalse();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(moved.base() + "?token=" + moved.token())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"/app.js?token=" + moved.token() + "\"", "huddle cockpit")
                    .doesNotContain("{{TOKEN}}");
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains(WebReplies.CSP);
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(moved.base() + "app.js?token=" + moved.token())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(script.body()).doesNotContain(".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write"); // text only

            assertThat(web.stop()).isTrue();
            assertThat(web.stop()).isFalse();
            assertThat(web.running()).isFalse();
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(moved.base())).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        } finally {
            web.stop();
        }
    }

    @Test
    void aTakenPortIsRefusedWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            WebServer web = new WebServer(null, NOBODY);
            assertThatThrownBy(() -> web.start(taken.getLocalPort())).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(web.running()).isFalse();
            assertThatThrownBy(() -> web.start(70000)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void replyCodesAndEscaping() {
        assertThat(WebActions.statusOf("target-not-found")).isEqualTo(404);
        assertThat(WebActions.statusOf("unknown-agent")).isEqualTo(404);
        assertThat(WebActions.statusOf("ambiguous-target")).isEqualTo(409);
        assertThat(WebActions.statusOf("body-too-large")).isEqualTo(400);
        assertThat(WebActions.statusOf("internal")).isEqualTo(500);
        assertThat(WebReplies.escapeHtml("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
