package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code huddle web} against a real hub and real fronts, looked at in headless Chromium (the Debian package) driven by
 * playwright-core from Node ({@code src/test/resources/web/web-e2e.mjs}): the page shows the agents, highlights a
 * deadlock, shows stranded mail and agents' markup as text, shows messages agents send meanwhile (the latency from the
 * hub's commit to the page is measured), sends a message and a nudge as the human (the hub stores them), shows the
 * hub's error for an unknown target, and says "hub unreachable" once the web server stops. Requests without the
 * token, with a wrong one, with another Host or from another origin get 403; bad input gets clear JSON errors. A
 * screenshot is kept in {@code target/web-artifacts/cockpit.png}, the latency sample in {@code latency.json}.
 * Without node, playwright-core or chromium the test is skipped, except under CI (which installs them).
 */
@HubTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WebIT {
    private static final int PROBES = 20;
    static final Path ARTIFACTS = Path.of("target", "web-artifacts").toAbsolutePath();

    @Test
    @SuppressWarnings("unchecked")
    void theCockpitInABrowser(TestHome home, @Project("web") Path repo) throws Exception {
        Tools tools = Tools.find();
        // alice's Claude Code transcript, so the cockpit has a latest tool call to show
        Path userHome = home.newDir("webh");
        String aliceSid = UUID.randomUUID().toString();
        Path transcript = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + aliceSid + ".jsonl");
        Files.createDirectories(transcript.getParent());
        try (InputStream in = WebIT.class.getResourceAsStream("/transcripts/claude-session.jsonl")) {
            Files.copy(in, transcript);
        }
        SimulatedAgent alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSid, "HOME", userHome.toString()));
        SimulatedAgent bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent carol = home.agent(repo, "codex-mcp-client", Map.of());
        SimulatedAgent dave = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        state(alice, "alice", "refactoring the API layer");
        state(bob, "bob", "reviewing the schema migration");
        state(carol, "carol", "<img src=x onerror=\"window.__pwned=true\"> writes the docs");
        state(dave, "dave", "on the flaky test");
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/api"), "reason", "refactoring the API"))).containsEntry("ok", true);
        // erin, a Claude Code session seen only through its hooks, edits a file: an implicit claim ("editing")
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/b.txt"), "b\n");
        HookAgent erin = HookAgent.start(home, repo);
        String erinSid = UUID.randomUUID().toString();
        erin.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(repo, erinSid, "UserPromptSubmit", "\"prompt\":\"edit b\""));
        String edit = "\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"" + repo.resolve("src/b.txt")
                + "\",\"old_string\":\"b\",\"new_string\":\"c\"},\"tool_use_id\":\"toolu_01webit\"";
        assertThat(erin.hook(HookClient.CLAUDE, "PreToolUse", claude(repo, erinSid, "PreToolUse", edit)).exit()).isZero();
        assertThat(erin.hook(HookClient.CLAUDE, "PostToolUse", claude(repo, erinSid, "PostToolUse", edit)).exit()).isZero();

        // huddle web: the address with this run's token; a second call returns the same server
        TestHome.Result web = home.cli(repo, "web", "--json");
        assertThat(web.exit()).as("%s", web).isZero();
        Map<String, Object> info = web.json();
        String url = (String) info.get("url");
        int port = ((Number) info.get("port")).intValue();
        String token = (String) info.get("token");
        assertThat(url).startsWith("http://127.0.0.1:" + port + "/?token=" + token + "&project=");
        assertThat(token).matches("[A-Za-z0-9_-]{32,}");
        assertThat(info).containsEntry("started", true).containsEntry("project_root", repo.toString());
        TestHome.Result again = home.cli(repo, "web", "--json");
        assertThat(again.json()).containsEntry("token", token).containsEntry("port", port).containsEntry("started", false);
        TestHome.Result text = home.cli(repo, "web");
        assertThat(text.stdout()).contains(url, "huddle web --stop");
        assertThat(home.cli(repo, "web", "--all", "--project", repo.toString()).exit()).isEqualTo(2);
        assertThat(home.cli(repo, "web", "--port", "70000").exit()).isEqualTo(2);

        checkSecurity(port, token, repo);
        Map<String, Object> snap = Json.object(Http.request(port, "GET", "/api/snapshot?token=" + token + "&project=" + repo,
                "127.0.0.1:" + port, Map.of(), null).body());
        for (Object a : Json.list(snap, "projects", 0, "agents")) {
            Map<String, Object> agent = (Map<String, Object>) a;
            assertThat(agent.get("claims")).as("claims of %s", agent.get("name"))
                    .isEqualTo("alice".equals(agent.get("name")) || erinSid.equals(agent.get("session_id")) ? 1 : 0);
        }

        Files.createDirectories(ARTIFACTS);
        Browser browser = Browser.start(tools, url, List.of("alice", "bob", "carol", "dave"));
        try {
            Map<String, Object> ready = browser.await("ready");
            assertThat(ready).containsEntry("title", "huddle cockpit");

            // deadlock: alice asks bob, bob asks alice; both give up waiting, both asks stay pending
            assertThat(alice.call("ask_peer", Map.of("target", "bob", "body", "which schema?", "timeout_ms", 300))).containsEntry("timed_out", true);
            assertThat(bob.call("ask_peer", Map.of("target", "alice", "body", "which port?", "timeout_ms", 300))).containsEntry("timed_out", true);
            Map<String, Object> dl = browser.call(Map.of("cmd", "expect_deadlock"), "deadlock");
            assertThat((String) dl.get("text")).contains("Deadlock", "alice (", "bob (");
            assertThat(((Number) dl.get("cycle_rows")).intValue()).as("agents and waits on the cycle are highlighted").isGreaterThanOrEqualTo(4);

            // mail stranded on an agent that went away
            assertThat(alice.call("send_message", Map.of("target", "dave", "body", "are you there?"))).containsEntry("ok", true);
            dave.close();
            browser.call(Map.of("cmd", "expect_text", "text", "unread for dave ("), "text");

            // the file erin edits shows as being edited
            browser.call(Map.of("cmd", "expect_text", "text", "src/b.txt"), "text");
            browser.call(Map.of("cmd", "expect_text", "text", "editing"), "text");

            // agents' markup is shown as text, never run
            String markup = "<script>window.__pwned=true</script><b>bold?</b>";
            assertThat(carol.call("send_message", Map.of("target", "alice", "body", markup))).containsEntry("ok", true);
            Map<String, Object> xss = browser.call(Map.of("cmd", "expect_text", "text", markup), "text");
            assertThat(xss).containsEntry("pwned", false).containsEntry("injected", 0);
            xss = browser.call(Map.of("cmd", "expect_text", "text", "<img src=x onerror=\"window.__pwned=true\"> writes the docs"), "text");
            assertThat(xss).containsEntry("pwned", false).containsEntry("injected", 0);
            // and its C1 control (CSI) and bidi characters are shown, not obeyed (issue 16; C0 controls are refused): a
            // right-to-left override would reverse what follows it on the page
            assertThat(carol.call("send_message", Map.of("target", "alice", "body", "bidi \u202etxt.exe\u202c and \u009b2J"))).containsEntry("ok", true);
            browser.call(Map.of("cmd", "expect_text", "text", "bidi <U+202E>txt.exe<U+202C> and <U+009B>2J"), "text");

            // messages sent meanwhile show up; the time from the hub's commit to the page is measured
            browser.call(Map.of("cmd", "watch_feed"), "watching");
            for (int i = 0; i < PROBES; i++) {
                assertThat(alice.call("send_message", Map.of("target", "carol", "body", "latency-probe-" + i))).containsEntry("ok", true);
                browser.call(Map.of("cmd", "expect_text", "text", "latency-probe-" + i), "text"); // one push per probe
            }
            Map<String, Object> probes = browser.call(Map.of("cmd", "await_probes", "prefix", "latency-probe-", "count", PROBES), "probes");
            List<Map<String, Object>> samples = (List<Map<String, Object>>) probes.get("samples");
            assertThat(samples).hasSize(PROBES);
            Latency latency = Latency.of(samples);
            Files.writeString(ARTIFACTS.resolve("latency.json"), Json.write(latency.toJson()));
            System.out.println("WebIT: hub commit -> visible in the page (next frame), " + PROBES + " messages: " + latency);
            // The figure is "<= 100 ms"; the bound here only catches a broken push path (polling, buffering) on a
            // loaded CI machine. docs/BENCHMARKS.md has the measured figures.
            assertThat(latency.median()).as("median ms, %s", latency).isLessThanOrEqualTo(250);

            // the human sends through the form; the hub stores it as the operator's message
            String body = "please rebase on main before you push (sent from the web cockpit)";
            Map<String, Object> sent = browser.call(Map.of("cmd", "send", "target", "bob", "body", body), "sent");
            assertThat(sent).as("%s", sent).containsEntry("ok", true).containsEntry("body_left", "");
            assertThat((String) sent.get("result")).startsWith("sent to bob");
            browser.await("sent_visible");
            Map<String, Object> stored = logged(home, repo, body);
            assertThat(stored).as("huddle log has it").isNotNull().containsEntry("from", "operator");
            assertThat((String) stored.get("to")).startsWith("bob (");

            // the hub's structured error, shown in the page
            Map<String, Object> refused = browser.call(Map.of("cmd", "send_unknown"), "refused");
            assertThat((String) refused.get("result")).contains("target-not-found", "no-such-agent-anywhere");

            // a nudge
            Map<String, Object> nudged = browser.call(Map.of("cmd", "nudge", "target", "carol"), "nudged");
            assertThat(nudged).as("%s", nudged).containsEntry("ok", true);
            assertThat(logged(home, repo, "Nudge from your user")).isNotNull().containsEntry("from", "operator");

            Map<String, Object> shot = browser.call(Map.of("cmd", "screenshot", "name", "cockpit.png"), "screenshot");
            Path png = Path.of((String) shot.get("path"));
            assertThat(png).isRegularFile();
            assertThat(Files.size(png)).isGreaterThan(20_000);
            Map<String, Object> narrow = browser.call(Map.of("cmd", "screenshot", "name", "cockpit-narrow.png", "width", 400), "screenshot");
            assertThat(narrow).as("no sideways scrolling at 400 px").containsEntry("overflow", 0);

            // huddle web --stop: the page says so, the port is closed, the old link is dead
            TestHome.Result stop = home.cli(repo, "web", "--stop");
            assertThat(stop.exit()).as("%s", stop).isZero();
            assertThat(stop.stdout()).contains("stopped");
            browser.call(Map.of("cmd", "expect_unreachable"), "unreachable");
            assertThatThrownBy(() -> Http.request(port, "GET", "/?token=" + token, "127.0.0.1:" + port, Map.of(), null))
                    .isInstanceOf(ConnectException.class);
            assertThat(home.cli(repo, "web", "--stop").stdout()).contains("was not running");

            Map<String, Object> done = browser.close();
            assertThat((List<Object>) done.get("errors")).as("no script errors in the page")
                    .noneMatch(e -> String.valueOf(e).startsWith("pageerror"));
            assertThat((List<Object>) done.get("foreign")).as("nothing loaded from elsewhere").isEmpty();
        } finally {
            browser.kill();
        }

        erin.close();

        // a new run has a new token
        TestHome.Result rerun = home.cli(repo, "web", "--json", "--all");
        assertThat(rerun.exit()).as("%s", rerun).isZero();
        assertThat(rerun.json().get("token")).isNotEqualTo(token);
        assertThat((String) rerun.json().get("url")).endsWith("&all=1");
        home.stopHub();
        TestHome.Result noHub = home.cli(repo, "web", "--stop");
        assertThat(noHub.exit()).as("%s", noHub).isEqualTo(3);
    }

    /** Token, Host, Origin and input checks, straight on the socket (no client library rewrites the headers). */
    private static void checkSecurity(int port, String token, Path repo) throws IOException {
        String host = "127.0.0.1:" + port;
        Http.Response page = Http.request(port, "GET", "/?token=" + token, host, Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-security-policy")).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'");
        assertThat(page.header("x-frame-options")).isEqualTo("DENY");
        assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(page.body()).contains("/app.js?token=" + token);
        assertThat(Http.request(port, "GET", "/?token=" + token, "localhost:" + port, Map.of(), null).status()).isEqualTo(200);

        Http.Response none = Http.request(port, "GET", "/", host, Map.of(), null);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).contains("missing-token", "huddle web");
        Http.Response wrong = Http.request(port, "GET", "/?token=" + token.substring(1) + "x", host, Map.of(), null);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).contains("wrong-token");
        assertThat(Http.request(port, "GET", "/app.js", host, Map.of(), null).status()).isEqualTo(403);
        assertThat(Http.request(port, "GET", "/events?token=nope", host, Map.of(), null).status()).isEqualTo(403);
        // DNS rebinding: another site's name resolving to 127.0.0.1 carries its own Host
        Http.Response rebound = Http.request(port, "GET", "/?token=" + token, "attacker.example:" + port, Map.of(), null);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.body()).contains("wrong-host");
        assertThat(Http.request(port, "GET", "/api/snapshot?token=" + token, "127.0.0.1", Map.of(), null).status()).isEqualTo(403);

        Map<String, String> post = Map.of("X-Huddle-Token", token, "Origin", "http://" + host, "Content-Type", "application/json");
        String ok = Json.write(Map.of("project", repo.toString(), "target", "bob", "body", "x"));
        Http.Response noToken = Http.request(port, "POST", "/api/send", host, Map.of("Origin", "http://" + host, "Content-Type", "application/json"), ok);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.body()).contains("\"missing-token\"");
        Http.Response queryToken = Http.request(port, "POST", "/api/send?token=" + token, host, Map.of("Origin", "http://" + host, "Content-Type", "application/json"), ok);
        assertThat(queryToken.status()).as("a POST's token goes in the header").isEqualTo(403);
        Http.Response otherOrigin = Http.request(port, "POST", "/api/send", host, Map.of("X-Huddle-Token", token, "Origin", "http://attacker.example", "Content-Type", "application/json"), ok);
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(otherOrigin.body()).contains("wrong-origin");
        Http.Response noOrigin = Http.request(port, "POST", "/api/send", host, Map.of("X-Huddle-Token", token, "Content-Type", "application/json"), ok);
        assertThat(noOrigin.status()).isEqualTo(403);
        Http.Response form = Http.request(port, "POST", "/api/send", host, Map.of("X-Huddle-Token", token, "Origin", "http://" + host, "Content-Type", "text/plain"), ok);
        assertThat(form.status()).isEqualTo(415);

        Http.Response badJson = Http.request(port, "POST", "/api/send", host, post, "{\"target\": ");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(Json.object(badJson.body())).containsEntry("ok", false).containsEntry("error", "bad-json");
        Http.Response notObject = Http.request(port, "POST", "/api/send", host, post, "[1,2]");
        assertThat(Json.object(notObject.body())).containsEntry("error", "bad-json");
        Http.Response huge = Http.request(port, "POST", "/api/send", host, post,
                "{\"project\":\"" + repo + "\",\"target\":\"bob\",\"body\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(Json.object(huge.body())).containsEntry("error", "payload-too-large");
        Http.Response unknown = Http.request(port, "POST", "/api/send", host, post,
                Json.write(Map.of("project", repo.toString(), "target", "nobody-at-all", "body", "hello")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Json.object(unknown.body())).containsEntry("error", "target-not-found");
        Http.Response tooLong = Http.request(port, "POST", "/api/send", host, post,
                Json.write(Map.of("project", repo.toString(), "target", "bob", "body", "y".repeat(9000))));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(Json.object(tooLong.body())).containsEntry("error", "body-too-large");
        Http.Response missing = Http.request(port, "POST", "/api/nudge", host, post, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(Json.object(missing.body())).containsEntry("error", "invalid-argument");
        assertThat(Http.request(port, "DELETE", "/?token=" + token, host, Map.of(), null).status()).isEqualTo(405);
        assertThat(Http.request(port, "GET", "/?token=%zz", host, Map.of(), null).status()).isIn(400, 403);
        assertThat(Http.request(port, "GET", "/nothing?token=" + token, host, Map.of(), null).status()).isEqualTo(404);

        // and it keeps serving
        Http.Response snap = Http.request(port, "GET", "/api/snapshot?token=" + token + "&project=" + repo, host, Map.of(), null);
        assertThat(snap.status()).isEqualTo(200);
        assertThat(Json.object(snap.body())).containsEntry("v", 1).containsEntry("project_root", repo.toString());
        Http.Response stream = Http.request(port, "GET", "/events?token=" + token + "&project=" + repo, host, Map.of(), null, 1500);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.header("content-type")).startsWith("text/event-stream");
        assertThat(stream.body()).contains("retry: ", "event: snapshot\nid: ", "data: {\"v\":1,");
    }

    /** A Claude Code hook payload of session {@code sid} in {@code dir}. */
    private static String claude(Path dir, String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"/nonexistent/" + sid + ".jsonl\",\"cwd\":\"" + dir
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"," + extra + "}";
    }

    private static void state(SimulatedAgent a, String name, String purpose) {
        assertThat(a.call("set_my_state", Map.of("name", name, "purpose", purpose))).as(name).containsEntry("ok", true);
    }

    /** The message of the project's log whose body starts with {@code prefix}, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> logged(TestHome home, Path repo, String prefix) {
        TestHome.Result log = home.cli(repo, "log", "--json", "-n", "200");
        assertThat(log.exit()).as("%s", log).isZero();
        for (String line : log.stdout().lines().toList()) {
            if (line.isBlank()) continue;
            Map<String, Object> m = Json.object(line);
            if (String.valueOf(m.get("body")).startsWith(prefix)) return m;
        }
        return null;
    }

    /** Median and p95 of the commit → visible latencies (ms), to the next frame and to the DOM change. */
    record Latency(double median, double p95, double max, double domMedian, int n) {
        static Latency of(List<Map<String, Object>> samples) {
            List<Double> frame = new ArrayList<>();
            List<Double> dom = new ArrayList<>();
            for (Map<String, Object> s : samples) {
                frame.add(((Number) s.get("frame_ms")).doubleValue());
                dom.add(((Number) s.get("dom_ms")).doubleValue());
            }
            Collections.sort(frame);
            Collections.sort(dom);
            return new Latency(median(frame), frame.get(Math.max(0, (int) Math.ceil(0.95 * frame.size()) - 1)), frame.getLast(),
                    median(dom), frame.size());
        }

        private static double median(List<Double> sorted) {
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("what", "hub commit (message created_at) -> message visible in the page (next animation frame)");
            m.put("n", n);
            m.put("median_ms", median);
            m.put("p95_ms", p95);
            m.put("max_ms", max);
            m.put("dom_median_ms", domMedian);
            m.put("cores", Runtime.getRuntime().availableProcessors());
            return m;
        }

        @Override
        public String toString() {
            return "median " + median + " ms, p95 " + p95 + " ms, max " + max + " ms (DOM change: median " + domMedian + " ms), n=" + n;
        }
    }

    /** node, playwright-core and chromium; skips without them, except under CI. */
    record Tools(Path node, Path playwright, Path chromium, Path script) {
        static Tools find() {
            Path node = onPath("node");
            Path playwright = TestHome.launcher().getParent().resolve(".ci/node/node_modules/playwright-core");
            String configured = System.getenv("HUDDLE_CHROMIUM");
            Path chromium = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("/usr/bin/chromium");
            List<String> missing = new ArrayList<>();
            if (node == null) missing.add("node (Node.js) on PATH");
            if (!Files.isRegularFile(playwright.resolve("package.json"))) missing.add("playwright-core in " + playwright + " (bash .ci/install-clients.sh)");
            if (!Files.isExecutable(chromium)) missing.add("chromium at " + chromium + " (apt-get install chromium)");
            if (!missing.isEmpty()) {
                String why = "WebIT needs " + String.join(", ", missing);
                if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + "; CI must run the browser test (.ci/run installs them)");
                Assumptions.assumeTrue(false, why);
            }
            Path script = Path.of("src/test/resources/web/web-e2e.mjs").toAbsolutePath();
            assertThat(script).isRegularFile();
            return new Tools(node, playwright, chromium, script);
        }

        private static Path onPath(String name) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) return p;
            }
            return null;
        }
    }

    /** The Node script and its lines: commands in, events out. */
    static final class Browser {
        private final Process process;
        private final Writer in;
        private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
        private final StringBuffer stderr = new StringBuffer();

        private Browser(Process process) {
            this.process = process;
            this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("{")) events.add(Json.object(line));
                        else stderr.append("[stdout] ").append(line).append('\n');
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                events.add(Map.of("event", "exit"));
            });
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) stderr.append(line).append('\n');
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }

        static Browser start(Tools tools, String url, List<String> agents) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(tools.node().toString(), tools.script().toString());
            pb.environment().put("HUDDLE_WEB_URL", url);
            pb.environment().put("HUDDLE_PLAYWRIGHT_CORE", tools.playwright().toString());
            pb.environment().put("HUDDLE_CHROMIUM", tools.chromium().toString());
            pb.environment().put("HUDDLE_WEB_ARTIFACTS", ARTIFACTS.toString());
            pb.environment().put("HUDDLE_WEB_AGENTS", Json.write(agents));
            return new Browser(pb.start());
        }

        Map<String, Object> call(Map<String, Object> cmd, String expect) throws Exception {
            in.write(Json.write(cmd) + "\n");
            in.flush();
            return await(expect);
        }

        Map<String, Object> await(String expect) throws InterruptedException {
            Map<String, Object> e = events.poll(60, TimeUnit.SECONDS);
            if (e == null) fail("no '%s' from the browser within 60 s; its stderr:%n%s", expect, stderr);
            if (!expect.equals(e.get("event"))) fail("expected '%s' from the browser, got %s; its stderr:%n%s", expect, e, stderr);
            return e;
        }

        Map<String, Object> close() throws Exception {
            return call(Map.of("cmd", "close"), "done");
        }

        void kill() {
            try {
                in.close();
            } catch (IOException ignored) {
                // gone
            }
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** HTTP/1.1 on a plain socket: any Host, Origin or method, exactly as written. */
    static final class Http {
        record Response(int status, Map<String, String> headers, String body) {
            String header(String name) {
                return headers.get(name.toLowerCase(java.util.Locale.ROOT));
            }
        }

        static Response request(int port, String method, String path, String host, Map<String, String> headers, String body) throws IOException {
            return request(port, method, path, host, headers, body, 10_000);
        }

        /** Reads until the server closes or {@code readMs} passed (an event stream never ends by itself). */
        static Response request(int port, String method, String path, String host, Map<String, String> headers, String body, int readMs)
                throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(readMs);
                byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
                StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
                headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
                if (body != null) req.append("Content-Length: ").append(payload.length).append("\r\n");
                req.append("\r\n");
                OutputStream out = s.getOutputStream();
                out.write(req.toString().getBytes(StandardCharsets.UTF_8));
                try {
                    out.write(payload);
                    out.flush();
                } catch (IOException refusedEarly) {
                    // the server answered (413) and closed before reading it all
                }
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                try {
                    InputStream inp = s.getInputStream();
                    for (int n; (n = inp.read(buf)) > 0; ) got.write(buf, 0, n);
                } catch (java.net.SocketTimeoutException | java.net.SocketException enough) {
                    // a stream, or a reset after an early answer
                }
                String raw = got.toString(StandardCharsets.UTF_8);
                int split = raw.indexOf("\r\n\r\n");
                if (split < 0) throw new IOException("no HTTP response: " + raw);
                String[] head = raw.substring(0, split).split("\r\n");
                int status = Integer.parseInt(head[0].split(" ")[1]);
                Map<String, String> hs = new LinkedHashMap<>();
                for (int i = 1; i < head.length; i++) {
                    int c = head[i].indexOf(':');
                    if (c > 0) hs.put(head[i].substring(0, c).strip().toLowerCase(java.util.Locale.ROOT), head[i].substring(c + 1).strip());
                }
                String rest = raw.substring(split + 4);
                if ("chunked".equalsIgnoreCase(hs.get("transfer-encoding"))) rest = dechunk(rest);
                return new Response(status, hs, rest);
            }
        }

        private static String dechunk(String s) {
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < s.length()) {
                int eol = s.indexOf("\r\n", i);
                if (eol < 0) break;
                int size;
                try {
                    size = Integer.parseInt(s.substring(i, eol).strip(), 16);
                } catch (NumberFormatException e) {
                    break;
                }
                if (size == 0) break;
                int start = eol + 2;
                int end = Math.min(s.length(), start + size);
                b.append(s, start, end);
                i = end + 2;
            }
            return b.toString();
        }
    }
}
