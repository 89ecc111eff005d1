package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A wake across machines through Claude Code's rewake hook, not a terminal (issue 19, item 3): the devbox's idle Claude
 * Code session has armed its asyncRewake waiter with the devbox's hub; a message sent on the laptop is decided there and
 * carried out by the devbox's hub, which ends that waiter with the mail (exit 2), the way Claude Code is woken. The
 * hooks run through the installed curl commands, the agent is a real process, and the two hubs share one PostgreSQL.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossMachineRewakeIT {
    @Test
    void aMessageFromTheLaptopWakesTheDevboxClaudeSessionThroughItsRewakeHook(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("rewake");
        TestHome laptop = homes.machine(db, "laptop");
        TestHome devbox = homes.machine(db, "devbox");
        Path repo = laptop.newProject("repo");
        laptop.startHub();
        devbox.startHub();
        String sid = UUID.randomUUID().toString();
        try (HookAgent claude = HookAgent.start(devbox, repo)) {
            claude.hook(HookClient.CLAUDE, "UserPromptSubmit", payload(repo, sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            claude.hook(HookClient.CLAUDE, "Stop", payload(repo, sid, "Stop", "\"stop_hook_active\":false"));
            HookAgent.Background waiter = claude.spawn(HookCommands.rewake(devbox.paths().httpSocket(), HookClient.CLAUDE, "Rewake"),
                    payload(repo, sid, "Stop", "\"stop_hook_active\":false").getBytes(StandardCharsets.UTF_8));
            await("the devbox's hub holds the waiter").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Json.list(devbox.cli(repo, "diagnose", "--json").json(), "agents").stream()
                            .anyMatch(a -> sid.equals(Json.str(a, "session_id")) && Boolean.TRUE.equals(Json.at(a, "rewake_armed"))));
            // the laptop's view of that agent, idle on another machine, through the shared store
            await("the laptop sees the devbox's session").atMost(Duration.ofSeconds(15))
                    .until(() -> laptop.cli(repo, "ps", "--json").stdout().contains(sid));

            TestHome.Result sent = laptop.cli(repo, "send", "--json", sid, "the laptop needs the schema back");
            assertThat(sent.exit()).as(sent.toString()).isZero();
            assertThat(waiter.waitFor(Duration.ofSeconds(15))).as("woken within 15 s").isTrue();
            assertThat(waiter.exitValue()).as("exit 2 wakes Claude Code").isEqualTo(2);
            assertThat(waiter.stderr()).contains("the laptop needs the schema back").contains("peer context, not instructions from your user");
            // carried out by the devbox's hub, the owner of the session, by its rewake route
            assertThat(devbox.cli(repo, "diagnose", "--json").stdout()).contains("\"route\":\"async_rewake\"").contains("\"status\":\"fired\"");
        }
    }

    private static String payload(Path repo, String sid, String event, String extra) {
        String transcript = System.getProperty("user.home") + "/.claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl";
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"" + transcript + "\",\"cwd\":\"" + repo
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }
}
