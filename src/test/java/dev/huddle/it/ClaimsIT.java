package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Path claims through real fronts and a real hub: claim, the all-or-nothing conflict naming the holder, shared
 * claims, renewal, release, list, the refusals for bad paths and TTLs, and claims ending when the holder goes offline.
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClaimsIT {
    private static TestHome home;
    private static SimulatedAgent alice;
    private static SimulatedAgent bob;
    private static SimulatedAgent carol;
    private static String aliceSession;
    @Project
    private static Path repo;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(repo.resolve("src/api"));
        aliceSession = UUID.randomUUID().toString();
        alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSession));
        bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        carol = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
        assertThat(carol.call("set_my_state", Map.of("name", "carol"))).containsEntry("ok", true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Map<String, Object> r) {
        assertThat(r).as("%s", r).containsEntry("ok", false);
        return (Map<String, Object>) r.get("error");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> claims(Map<String, Object> r) {
        return (List<Map<String, Object>>) r.get("claims");
    }

    private static List<Map<String, Object>> claimsOn(String prefix) {
        return claims(alice.call("list_claims", Map.of())).stream().filter(c -> ((String) c.get("path")).startsWith(prefix)).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aConflictClaimsNothingAndNamesTheHolder() {
        Map<String, Object> mine = alice.call("claim_paths", Map.of("paths", List.of("src/api"), "reason", "refactoring the API"));
        assertThat(mine).as("%s", mine).containsEntry("ok", true).containsEntry("mode", "exclusive").containsEntry("ttl_s", 1800);
        assertThat(claims(mine).getFirst()).containsEntry("path", "src/api").containsEntry("mine", true)
                .containsEntry("holder", aliceSession).containsEntry("holder_name", "alice");

        Map<String, Object> err = error(bob.call("claim_paths", Map.of("paths", List.of("src/model/User.java", "src/api/Server.java"))));
        assertThat(err).containsEntry("code", "paths-claimed");
        assertThat((String) err.get("message")).contains("src/api/Server.java", "src/api", "alice", "refactoring the API");
        assertThat((String) err.get("hint")).contains("ask_peer", "alice");
        Map<String, Object> conflict = ((List<Map<String, Object>>) ((Map<String, Object>) err.get("details")).get("conflicts")).getFirst();
        assertThat(conflict).containsEntry("path", "src/api/Server.java").containsEntry("held_path", "src/api")
                .containsEntry("holder", aliceSession).containsEntry("mode", "exclusive").containsKeys("since", "expires");
        assertThat(claimsOn("src/model")).as("all or nothing: the free path was not claimed either").isEmpty();

        assertThat(bob.call("claim_paths", Map.of("paths", List.of("src/model/User.java")))).containsEntry("ok", true);
        assertThat(error(alice.call("claim_paths", Map.of("paths", List.of("src/**/*.java"), "mode", "shared"))))
                .as("shared against exclusive").containsEntry("code", "paths-claimed");

        Map<String, Object> released = alice.call("release_paths", Map.of("paths", List.of("src/api", "src/nothing")));
        assertThat(released).containsEntry("released", List.of("src/api")).containsEntry("not_held", List.of("src/nothing"));
        assertThat(bob.call("claim_paths", Map.of("paths", List.of("src/api/Server.java")))).containsEntry("ok", true);
        Map<String, Object> all = bob.call("release_paths", Map.of());
        assertThat(all).containsEntry("count", 2);
        assertThat(claimsOn("src/")).isEmpty();
    }

    @Test
    void sharedClaimsCoexistAndExclusiveOnesDoNot() {
        assertThat(bob.call("claim_paths", Map.of("paths", List.of("docs/**/*.md"), "mode", "shared"))).containsEntry("ok", true);
        assertThat(carol.call("claim_paths", Map.of("paths", List.of("docs/guide.md"), "mode", "shared"))).containsEntry("ok", true);
        assertThat(error(alice.call("claim_paths", Map.of("paths", List.of("docs/guide.md"))))).containsEntry("code", "paths-claimed");
        List<Map<String, Object>> listed = claimsOn("docs/");
        assertThat(listed).extracting(c -> c.get("holder_name")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(listed).allSatisfy(c -> assertThat(c).containsEntry("mode", "shared").containsEntry("mine", false)
                .containsKeys("since", "expires", "expires_in_s"));
        bob.call("release_paths", Map.of("paths", List.of("docs/**/*.md")));
        carol.call("release_paths", Map.of());
        assertThat(claimsOn("docs/")).isEmpty();
    }

    @Test
    void claimingAgainRenewsAndTtlsAreClamped() {
        Map<String, Object> first = alice.call("claim_paths", Map.of("paths", List.of("lib/x.c"), "ttl_s", 0));
        assertThat(first).containsEntry("ttl_s", 60);
        assertThat((String) first.get("ttl_note")).contains("clamped to 60 s");
        Map<String, Object> again = alice.call("claim_paths", Map.of("paths", List.of("./lib/../lib/x.c"), "ttl_s", 94_608_000));
        assertThat(again).containsEntry("ttl_s", 86400);
        assertThat((String) again.get("ttl_note")).contains("clamped to 86400 s");
        assertThat(again.get("normalised").toString()).contains("lib/x.c");
        Map<String, Object> renewed = claims(again).getFirst();
        assertThat(renewed.get("since")).isEqualTo(claims(first).getFirst().get("since"));
        assertThat(Instant.parse((String) renewed.get("expires"))).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(claimsOn("lib/")).hasSize(1);
        alice.call("release_paths", Map.of("paths", List.of("lib/x.c")));
    }

    @Test
    void badPathsAreRefusedWithTheirReason() throws Exception {
        Path elsewhere = home.newDir("elsewhere");
        Files.createSymbolicLink(repo.resolve("vendor-link"), elsewhere);
        Map<String, String> cases = Map.of(
                "../other/x", "path-outside-repository",
                elsewhere + "/file.c", "path-outside-repository",
                "src/../../x", "path-outside-repository",
                "vendor-link/lib.c", "path-escapes-repository",
                "**", "claim-too-broad",
                "*", "claim-too-broad",
                ".", "claim-too-broad",
                "src\\api", "invalid-path");
        cases.forEach((path, code) -> {
            Map<String, Object> err = error(alice.call("claim_paths", Map.of("paths", List.of("src/ok.c", path))));
            assertThat(err).as(path).containsEntry("code", code);
            assertThat((String) err.get("hint")).as(path).isNotBlank();
        });
        assertThat(error(alice.call("claim_paths", Map.of("paths", List.of("a"), "mode", "mine")))).containsEntry("code", "invalid-argument");
        assertThat(error(alice.call("claim_paths", Map.of("paths", List.of())))).containsEntry("code", "invalid-argument");
        assertThat(claimsOn("src/ok.c")).as("nothing claimed by a refused call").isEmpty();
    }

    @Test
    void anOfflineHoldersClaimsEnd() {
        SimulatedAgent dave = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(dave.call("claim_paths", Map.of("paths", List.of("build/out.txt"), "reason", "leaving soon"))).containsEntry("ok", true);
        assertThat(error(alice.call("claim_paths", Map.of("paths", List.of("build"))))).containsEntry("code", "paths-claimed");
        dave.close();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(claimsOn("build/")).isEmpty());
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("build")))).containsEntry("ok", true);
        alice.call("release_paths", Map.of());
    }
}
