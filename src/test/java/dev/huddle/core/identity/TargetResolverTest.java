package dev.huddle.core.identity;

import dev.huddle.core.HuddleError;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TargetResolver}: exact id, name, id prefix (≥ 8), tmux session; project, self and ambiguity rules. */
class TargetResolverTest {
    static final String P = "/work/repo";
    static final String OTHER = "/work/other";
    static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    static final String ME = "11111111-aaaa-4000-8000-000000000001";
    static final String BOB = "22222222-bbbb-4000-8000-000000000002";
    static final String BOB2 = "22222222-cccc-4000-8000-000000000003"; // shares an 8-character prefix with BOB
    static final String CAROL = "33333333-dddd-4000-8000-000000000004";
    static final String FAR = "44444444-eeee-4000-8000-000000000005"; // another project

    static Agent agent(String id, String project, String name) {
        return Agent.create(id, id.startsWith("p-") ? null : id, id.startsWith("p-") ? BindingSource.UNBOUND : BindingSource.ENV,
                        ClientType.CLAUDE_CODE, project, project, new AgentProcess((id.hashCode() & 0xffff) + 1, 1), T)
                .withState(null, name, T);
    }

    static Agent inTmux(Agent a, String session) {
        return a.withTerminal(new TerminalLocation("tmux", session, "%1", "@1", true));
    }

    static List<Agent> world() {
        return List.of(agent(ME, P, "me-agent"), agent(BOB, P, "bob"), agent(BOB2, P, "bobby"),
                inTmux(agent(CAROL, P, "carol"), "dev"), agent(FAR, OTHER, "far"));
    }

    static Agent resolve(String target) {
        return TargetResolver.resolve(target, ME, P, world());
    }

    static HuddleError refusal(String target, List<Agent> agents) {
        try {
            Agent a = TargetResolver.resolve(target, ME, P, agents);
            throw new AssertionError("expected a refusal for '" + target + "', resolved " + a.agentId());
        } catch (HuddleError e) {
            return e;
        }
    }

    static HuddleError refusal(String target) {
        return refusal(target, world());
    }

    // ---- each rule ----

    @Test
    void exactSessionId() {
        assertThat(resolve(BOB).agentId()).isEqualTo(BOB);
        assertThat(resolve("  " + BOB + "\n").agentId()).as("surrounding whitespace is ignored").isEqualTo(BOB);
    }

    @Test
    void exactProvisionalId() {
        String p = "p-0123456789abcdef";
        List<Agent> agents = List.of(agent(ME, P, null), agent(p, P, null));
        assertThat(TargetResolver.resolve(p, ME, P, agents).agentId()).isEqualTo(p);
    }

    @Test
    void nameIsCaseInsensitive() {
        assertThat(resolve("bob").agentId()).isEqualTo(BOB);
        assertThat(resolve("BOB").agentId()).isEqualTo(BOB);
        assertThat(resolve("Carol").agentId()).isEqualTo(CAROL);
    }

    @Test
    void aPrefixOfEightCharactersResolves() {
        assertThat(resolve("33333333").agentId()).isEqualTo(CAROL);
        assertThat(resolve("33333333-dd").agentId()).isEqualTo(CAROL);
        assertThat(resolve("22222222-b").agentId()).isEqualTo(BOB);
    }

    @Test
    void aPrefixOfSevenCharactersDoesNot() {
        HuddleError e = refusal("3333333");
        assertThat(e.code()).isEqualTo("target-not-found");
        assertThat(e.hint()).contains("list_project_sessions");
        assertThat(e.getMessage()).as("says why the start of an id did not match").contains("at least 8 characters");
        assertThat(e.details()).containsEntry("short_prefix", true).containsEntry("target", "3333333");
        assertThat(refusal("nobody").details()).as("a name is no prefix").doesNotContainKey("short_prefix");
    }

    @Test
    void anAmbiguousPrefixListsTheCandidates() {
        HuddleError e = refusal("22222222");
        assertThat(e.code()).isEqualTo("ambiguous-target");
        assertThat(e.getMessage()).contains("2 agents").contains("22222222 (bob)").contains("22222222 (bobby)")
                .contains("claude-code");
        assertThat(e.hint()).contains("longer");
        assertThat(resolve("22222222-c").agentId()).isEqualTo(BOB2);
    }

    @Test
    void aPrefixMatchingMeAndAPeerIsAmbiguousNotSelf() {
        String mine = "abcdef01-0000-4000-8000-000000000001";
        String peer = "abcdef01-0000-4000-8000-000000000002";
        List<Agent> agents = List.of(agent(mine, P, null), agent(peer, P, null));
        try {
            TargetResolver.resolve("abcdef01", mine, P, agents);
            throw new AssertionError("resolved an ambiguous prefix");
        } catch (HuddleError e) {
            assertThat(e.code()).isEqualTo("ambiguous-target");
        }
        assertThat(TargetResolver.resolve("abcdef01-0000-4000-8000-000000000002", mine, P, agents).agentId()).isEqualTo(peer);
    }

    @Test
    void tmuxSessionName() {
        assertThat(resolve("dev").agentId()).isEqualTo(CAROL);
        assertThat(refusal("Dev").code()).as("tmux session names are case-sensitive").isEqualTo("target-not-found");
    }

    @Test
    void anUnverifiedOrNonTmuxTerminalDoesNotCount() {
        Agent wez = agent(BOB, P, null).withTerminal(new TerminalLocation("wezterm", "dev", "4", null, false));
        assertThat(refusal("dev", List.of(agent(ME, P, null), wez)).code()).isEqualTo("target-not-found");
    }

    // ---- refusals ----

    @Test
    void crossProjectTargetsAreRefusedNamingTheOtherProject() {
        for (String t : List.of(FAR, "far", "44444444")) {
            HuddleError e = refusal(t);
            assertThat(e.code()).as(t).isEqualTo("cross-project");
            assertThat(e.getMessage()).contains(OTHER);
            assertThat(e.details()).as("the CLI names the project to cd to").containsEntry("project_root", OTHER);
        }
    }

    @Test
    void aNameUsedInBothProjectsResolvesToMine() {
        List<Agent> agents = new ArrayList<>(world());
        agents.add(agent("55555555-ffff-4000-8000-000000000006", OTHER, "bob"));
        assertThat(TargetResolver.resolve("bob", ME, P, agents).agentId()).isEqualTo(BOB);
    }

    @Test
    void aMatchInAnotherProjectDoesNotShadowALaterRuleInMine() {
        // "deadbeef" is a name in another project and a prefix of my peer's id; "dev" is a name in another project
        // and my peer's tmux session. Agents only message their own project, so the rules apply there first.
        String deadbeef = "deadbeef-0000-4000-8000-000000000009";
        List<Agent> agents = List.of(agent(ME, P, null), agent(deadbeef, P, null), inTmux(agent(CAROL, P, null), "dev"),
                agent(FAR, OTHER, "deadbeef"), agent("55555555-ffff-4000-8000-000000000006", OTHER, "dev"));
        assertThat(TargetResolver.resolve("deadbeef", ME, P, agents).agentId()).isEqualTo(deadbeef);
        assertThat(TargetResolver.resolve("dev", ME, P, agents).agentId()).isEqualTo(CAROL);
    }

    @Test
    void selfSendIsRefusedByIdNamePrefixOrTmux() {
        List<Agent> agents = List.of(inTmux(agent(ME, P, "me-agent"), "mine"), agent(BOB, P, "bob"));
        for (String t : List.of(ME, "me-agent", "ME-AGENT", "11111111", "mine")) {
            HuddleError e = refusal(t, agents);
            assertThat(e.code()).as(t).isEqualTo("self-send");
        }
    }

    @Test
    void notFoundAndEmptyTargets() {
        assertThat(refusal("nobody").code()).isEqualTo("target-not-found");
        assertThat(refusal("99999999").code()).isEqualTo("target-not-found");
        assertThat(refusal("").code()).isEqualTo("invalid-argument");
        assertThat(refusal("   ").code()).isEqualTo("invalid-argument");
        assertThat(refusal(null).code()).isEqualTo("invalid-argument");
        assertThat(refusal("x".repeat(10_000)).getMessage().length()).as("a long target is truncated").isLessThan(200);
    }

    @Test
    void offlineAgentsStillResolve() {
        // send_message queues for an offline peer; ask_peer refuses it later (peer-offline), not the resolver.
        List<Agent> agents = List.of(agent(ME, P, null), agent(BOB, P, "bob").wentOffline(T));
        assertThat(TargetResolver.resolve("bob", ME, P, agents).online()).isFalse();
    }

    // ---- precedence: exact > name > prefix > tmux ----

    @Test
    void anExactIdBeatsAName() {
        // BOB2's name is BOB's full id: the exact id wins.
        List<Agent> agents = List.of(agent(ME, P, null), agent(BOB, P, null), agent(BOB2, P, null).withState(null, "x" + BOB.substring(1), T),
                agent(CAROL, P, null).withState(null, "exactname", T));
        assertThat(TargetResolver.resolve(BOB, ME, P, agents).agentId()).isEqualTo(BOB);
    }

    @Test
    void aNameBeatsAPrefix() {
        // "deadbeef" is carol's name and a prefix of bob's id.
        String deadbeef = "deadbeef-0000-4000-8000-000000000009";
        List<Agent> agents = List.of(agent(ME, P, null), agent(deadbeef, P, null), agent(CAROL, P, "deadbeef"));
        assertThat(TargetResolver.resolve("deadbeef", ME, P, agents).agentId()).isEqualTo(CAROL);
        assertThat(TargetResolver.resolve("deadbeef-", ME, P, agents).agentId()).isEqualTo(deadbeef);
    }

    @Test
    void aPrefixBeatsATmuxSession() {
        String deadbeef = "deadbeef-0000-4000-8000-000000000009";
        List<Agent> agents = List.of(agent(ME, P, null), agent(deadbeef, P, null), inTmux(agent(CAROL, P, null), "deadbeef"));
        assertThat(TargetResolver.resolve("deadbeef", ME, P, agents).agentId()).isEqualTo(deadbeef);
    }

    @Test
    void aNameBeatsATmuxSession() {
        List<Agent> agents = List.of(agent(ME, P, null), agent(BOB, P, "dev"), inTmux(agent(CAROL, P, null), "dev"));
        assertThat(TargetResolver.resolve("dev", ME, P, agents).agentId()).isEqualTo(BOB);
    }

    @Test
    void twoAgentsInOneTmuxSessionAreAmbiguous() {
        List<Agent> agents = List.of(agent(ME, P, null), inTmux(agent(BOB, P, "bob"), "dev"), inTmux(agent(CAROL, P, "carol"), "dev"));
        HuddleError e = refusal("dev", agents);
        assertThat(e.code()).isEqualTo("ambiguous-target");
        assertThat(e.getMessage()).contains("bob").contains("carol");
    }

    // ---- read_session's targets ----

    static HuddleError readRefusal(String target, String me) {
        try {
            Agent a = TargetResolver.resolveToRead(target, me, P, world());
            throw new AssertionError("expected a refusal for '" + target + "', resolved " + a.agentId());
        } catch (HuddleError e) {
            return e;
        }
    }

    @Test
    void readTargetsFollowTheSameRulesAndListCandidates() {
        assertThat(TargetResolver.resolveToRead("bob", ME, P, world()).agentId()).isEqualTo(BOB);
        assertThat(TargetResolver.resolveToRead("dev", ME, P, world()).agentId()).isEqualTo(CAROL);
        assertThat(TargetResolver.resolveToRead("me-agent", null, P, world()).agentId()).as("the human reads anyone").isEqualTo(ME);

        HuddleError unknown = readRefusal("zed", ME);
        assertThat(unknown.code()).isEqualTo("target-not-found");
        assertThat(unknown.getMessage()).contains("22222222 (bob) claude-code", "33333333 (carol)").doesNotContain("me-agent", "far");
        assertThat((java.util.List<?>) unknown.details().get("candidates")).hasSize(3);

        HuddleError ambiguous = readRefusal("22222222", ME);
        assertThat(ambiguous.code()).isEqualTo("ambiguous-target");
        assertThat((java.util.List<?>) ambiguous.details().get("candidates")).hasSize(2);

        assertThat(readRefusal("far", ME).code()).isEqualTo("cross-project");
        assertThat(readRefusal("far", ME).getMessage()).doesNotContain(OTHER);
        assertThat(readRefusal("me-agent", ME).code()).isEqualTo("self-read");
        assertThat(readRefusal("  ", ME).code()).isEqualTo("invalid-argument");
    }

    // ---- properties ----

    @Provide
    Arbitrary<String> uuids() {
        return Arbitraries.create(() -> java.util.UUID.randomUUID().toString());
    }

    @Property(tries = 200)
    void everyPeerResolvesByItsFullIdAndItsName(@ForAll("uuids") String id, @ForAll("names") String name) {
        List<Agent> agents = List.of(agent(ME, P, "me-agent"), agent(id, P, name));
        if (name.equalsIgnoreCase("me-agent")) return;
        assertThat(TargetResolver.resolve(id, ME, P, agents).agentId()).isEqualTo(id);
        assertThat(TargetResolver.resolve(name.toUpperCase(java.util.Locale.ROOT), ME, P, agents).agentId()).isEqualTo(id);
        assertThat(TargetResolver.resolve(id.substring(0, 8), ME, P, agents).agentId()).isEqualTo(id);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
    }
}
