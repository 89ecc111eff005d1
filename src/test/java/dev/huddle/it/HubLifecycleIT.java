package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawHubSocket;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHome.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's life: started on demand (exactly one, however many clients race) and detached from its starter;
 * {@code huddle hub status|stop|restart}; idle exit (environment and config file); handover to a newer client;
 * recovery from a stale socket file left by a crash. Each test has its own home: these are about the hub process
 * itself.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HubLifecycleIT {
    private static final Duration T = Duration.ofSeconds(15);

    @Test
    void twentyConcurrentFirstStartsEndWithExactlyOneDetachedHub(TestHome h) throws Exception {
        List<Process> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) clients.add(h.spawnCli(h.home(), "ps", "--json"));
        List<Result> results = new ArrayList<>();
        for (Process p : clients) results.add(TestHome.finish(p, Duration.ofSeconds(90), "huddle ps --json"));

        for (Result r : results) {
            assertThat(r.exit()).as("every concurrent starter succeeds: %s", r).isZero();
            assertThat(r.json()).as("a ps reply").containsKey("projects");
        }
        List<Long> hubs = h.hubProcesses();
        assertThat(hubs).as("hub processes for this home").hasSize(1);
        long hub = hubs.getFirst();
        assertThat(h.awaitHub(null, T)).isEqualTo(hub);
        // No starter spawned a second hub JVM that then lost the race: the start lock serialised them.
        String stderrLog = Files.readString(h.paths().logDir().resolve("hub.stderr.log"));
        assertThat(stderrLog).doesNotContain("another hub is already running");
        assertThat(stderrLog.lines().filter(l -> l.contains("huddle hub ready")).count()).isEqualTo(1);

        // Detached: every starter has exited; the hub runs on, in its own session, a child of none of them.
        for (Process p : clients) assertThat(p.isAlive()).isFalse();
        assertThat(TestHome.alive(hub)).as("the hub outlives the processes that started it").isTrue(); // and the ps below finds it
        String stat = Files.readString(Path.of("/proc", String.valueOf(hub), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(fields[3]).as("session id of the hub (setsid: its own session)").isEqualTo(String.valueOf(hub));
        assertThat(clients.stream().map(Process::pid).toList()).doesNotContain(Long.parseLong(fields[1]));
        assertThat(h.cli("ps", "--json").exit()).isZero();
        assertThat(h.hubProcesses()).containsExactly(hub);
    }

    @Test
    void statusStopAndRestart(TestHome h) {
        Result none = h.cli("hub", "status");
        assertThat(none.exit()).as("status without a hub: %s", none).isEqualTo(3);
        Result noneJson = h.cli("hub", "status", "--json");
        assertThat(noneJson.exit()).isEqualTo(3);
        assertThat(noneJson.json()).containsEntry("running", false);
        assertThat(h.hubProcesses()).as("status does not start a hub").isEmpty();
        assertThat(h.cli("hub", "stop").exit()).as("stop without a hub").isEqualTo(3);

        long first = h.startHub();
        Result status = h.cli("hub", "status", "--json");
        assertThat(status.exit()).isZero();
        Map<String, Object> s = status.json();
        assertThat(((Number) s.get("pid")).longValue()).isEqualTo(first);
        assertThat(s).containsEntry("home", h.home().toString())
                .containsEntry("mcp_socket", h.home().resolve("hub.sock").toString())
                .containsEntry("schema_version", dev.huddle.store.sqlite.SqliteDatabase.latestSchemaVersion())
                .containsEntry("idle_exit_s", 10_800); // the default; the idle tests below change it
        assertThat(h.cli("hub", "status").stdout()).contains("hub running: pid " + first);

        Result restart = h.cli("hub", "restart");
        assertThat(restart.exit()).as("restart: %s", restart).isZero();
        TestHome.awaitGone(first, Duration.ofSeconds(10));
        long second = h.awaitHub(first, T);
        assertThat(restart.stdout()).contains("pid " + second);
        assertThat(h.hubProcesses()).containsExactly(second);

        Result stop = h.cli("hub", "stop");
        assertThat(stop.exit()).as("stop: %s", stop).isZero();
        assertThat(hubLockFree(h)).as("stop returns once the hub has let go of its lock").isTrue();
        TestHome.awaitGone(second, Duration.ofSeconds(5));
        assertThat(h.home().resolve("hub.json")).doesNotExist();
        assertThat(h.home().resolve("hub.sock")).doesNotExist();
        assertThat(h.cli("hub", "status").exit()).isEqualTo(3);
        assertThat(h.hubProcesses()).isEmpty();

        // hub start: starts one detached when none runs (setup does the same), and leaves a running one alone
        Result start = h.cli("hub", "start");
        assertThat(start.exit()).as("start: %s", start).isZero();
        assertThat(h.hubProcesses()).hasSize(1);
        long third = h.hubProcesses().getFirst();
        assertThat(start.stdout()).contains("hub running: pid " + third);
        Result again = h.cli("hub", "start");
        assertThat(again.exit()).as("start again: %s", again).isZero();
        assertThat(again.stdout()).contains("hub running: pid " + third);
        assertThat(h.hubProcesses()).containsExactly(third);
    }

    private static boolean hubLockFree(TestHome h) {
        try (FileChannel ch = FileChannel.open(h.paths().hubLock(), StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
            return lock != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void idleExitFromTheEnvironmentWaitsForConnectedFronts(TestHome h) throws Exception {
        h.withEnv("HUDDLE_HUB_IDLE_EXIT_S", "1");
        Path cwd = h.newDir("idle");
        SimulatedAgent agent = h.agent(cwd, "generic", Map.of()); // the front starts the hub with its environment
        long hub = h.awaitHub(null, T);
        assertThat(h.cli("hub", "status", "--json").json()).containsEntry("idle_exit_s", 1);
        // A connected front keeps it alive well past the idle time. This lets time pass on purpose: the idle time (1 s) and
        // two of the hub's once-a-second idle checks, at the first of which a hub that ignored the front would have gone.
        Thread.sleep(2500);
        assertThat(TestHome.alive(hub)).as("hub with a connected front").isTrue();
        assertThat(agent.call("get_my_session", Map.of())).containsEntry("ok", true);
        agent.close();
        TestHome.awaitGone(hub, Duration.ofSeconds(10));
        assertThat(h.home().resolve("hub.json")).doesNotExist();
        assertThat(Files.readString(h.paths().logDir().resolve("hub.log"))).contains("idle for 1 s with no connected fronts");
    }

    @Test
    void idleExitFromTheConfigFile(TestHome h) throws Exception {
        Files.writeString(h.home().resolve("config.json"), "{\"hub_idle_exit_s\": 2}");
        long hub = h.startHub();
        // An open connection keeps it from idling out while a slow machine starts the CLI (it is closed after 10 s).
        try (RawHubSocket holding = RawHubSocket.connect(h.paths().mcpSocket())) {
            assertThat(h.cli("hub", "status", "--json").json()).containsEntry("idle_exit_s", 2)
                    .containsEntry("config_problems", List.of());
        }
        TestHome.awaitGone(hub, T);
        assertThat(h.cli("hub", "status").exit()).isEqualTo(3);
    }

    @Test
    void aNewerClientMakesTheHubHandOver(TestHome h) {
        Path cwd = h.newDir("hand");
        SimulatedAgent agent = h.agent(cwd, "generic", Map.of());
        assertThat(agent.call("set_my_state", Map.of("name", "keeper", "purpose", "survive a handover"))).containsEntry("ok", true);
        long old = h.awaitHub(null, T);

        Map<String, Object> hello = RawHubSocket.hello("control");
        hello.put("version", "99.0.0");
        hello.put("op", "status");
        // A newer client that would not start a replacement (a status query) does not stop the hub.
        hello.put("autostart", false);
        try (RawHubSocket s = RawHubSocket.connect(h.paths().mcpSocket())) {
            s.sendLine(Json.write(hello));
            assertThat(s.readJson(T)).containsEntry("ok", true);
        }
        assertThat(h.hubPid()).contains(old);

        hello.put("autostart", true);
        try (RawHubSocket s = RawHubSocket.connect(h.paths().mcpSocket())) {
            s.sendLine(Json.write(hello));
            Map<String, Object> reply = s.readJson(T);
            assertThat(reply).containsEntry("ok", false).containsEntry("error", "handover");
            assertThat(s.awaitEof(Duration.ofSeconds(5))).isTrue();
        }
        TestHome.awaitGone(old, T);

        // The next ordinary client gets a fresh hub; the connected front moved over to it, its data intact.
        Result ps = h.cli(cwd, "ps", "--json");
        assertThat(ps.exit()).as("ps after the handover: %s", ps).isZero();
        long fresh = h.awaitHub(old, T);
        assertThat(agent.call("get_my_session", Map.of())).containsEntry("ok", true).containsEntry("name", "keeper");
        assertThat(h.hubProcesses()).containsExactly(fresh);
    }

    @Test
    void aStaleSocketAfterKillNineDoesNotBlockTheNextHub(TestHome h) {
        long old = h.startHub();
        TestHome.kill9(old);
        TestHome.awaitGone(old, Duration.ofSeconds(10));
        assertThat(h.paths().mcpSocket()).as("a crashed hub leaves its socket file behind").exists();
        assertThat(h.home().resolve("hub.json")).as("and its hub.json").exists();

        Result status = h.cli("hub", "status");
        assertThat(status.exit()).as("status with only a stale socket: %s", status).isEqualTo(3);
        Result ps = h.cli("ps", "--json");
        assertThat(ps.exit()).as("ps over a stale socket: %s", ps).isZero();
        long fresh = h.awaitHub(old, T);
        assertThat(h.hubProcesses()).containsExactly(fresh);
        assertThat(h.cli("hub", "status").exit()).isZero();
    }

    @Test
    void aStaleSocketFileFromAnEarlierCrashIsReplaced(TestHome h) throws IOException {
        h.paths().ensurePrivateDirectories();
        Path sock = h.paths().mcpSocket();
        // A socket file nobody listens on (closing a bound channel leaves the file), and a hub.json naming a dead pid.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock));
        }
        Files.writeString(h.home().resolve("hub.json"), "{\"pid\":999999999,\"version\":\"0.0.1\"}");
        assertThat(sock).exists();
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(sock));
            throw new AssertionError("the planted socket should refuse connections");
        } catch (IOException refused) {
            // stale, as intended
        }
        Result ps = h.cli("ps", "--json");
        assertThat(ps.exit()).as("ps: %s", ps).isZero();
        long hub = h.awaitHub(null, T);
        assertThat(h.hubProcesses()).containsExactly(hub);
        assertThat(Files.readString(h.home().resolve("hub.json"), StandardCharsets.UTF_8)).doesNotContain("999999999");
    }
}
