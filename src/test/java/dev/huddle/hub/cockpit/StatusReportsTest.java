package dev.huddle.hub.cockpit;

import dev.huddle.hub.messaging.Messaging;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StatusReport} from fixtures of hub state: waits, cycles, stranded mail, stale obligations, problems. */
class StatusReportTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    static Agent agent(String id, String name, boolean online) {
        Agent a = Agent.create(id, id, BindingSource.ENV, ClientType.CLAUDE_CODE, "/r", "/r", new AgentProcess(10, 1), NOW.minusSeconds(3600))
                .withState("p", name, NOW.minusSeconds(3600)).withActivity(Activity.BUSY, NOW.minusSeconds(125));
        return online ? a : a.wentOffline(NOW.minusSeconds(60));
    }

    static Ask ask(String from, String to, long agoS) {
        return new Ask("r-" + from + to, "m-" + from + to, from, to, NOW.minusSeconds(agoS), Ask.State.PENDING, null, null);
    }

    static Message obligation(String id, String from, String to, long agoS) {
        return new Message(0, id, "/r", from, from == null ? Message.Origin.OPERATOR : Message.Origin.PEER, to, "do it", null, null,
                null, true, null, NOW.minusSeconds(agoS), null, null, Message.ObligationState.OPEN, null, null);
    }

    @SuppressWarnings("unchecked")
    static Object at(Object o, Object... path) {
        for (Object k : path) o = k instanceof Integer i ? ((List<Object>) o).get(i) : ((Map<String, Object>) o).get(k);
        return o;
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    @Test
    void aHealthyProjectHasNoProblems() {
        List<Agent> agents = List.of(agent("aaaaaaaa-1", "alice", true), agent("bbbbbbbb-1", "bob", true));
        var open = new Messaging.OpenWaits(List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30)), List.of(obligation("o1", "bbbbbbbb-1", "aaaaaaaa-1", 60)),
                List.of(new MessageStore.Unread("bbbbbbbb-1", 1, NOW.minusSeconds(30))));
        Map<String, Object> r = StatusReport.build("/r", agents, id -> null, open, Duration.ofMinutes(30), NOW);
        // a waits for b (ask), b waits for a (obligation): that IS a cycle. Take the obligation the other way round.
        assertThat(r).containsEntry("healthy", false).containsEntry("problems", List.of("deadlock"));

        open = new Messaging.OpenWaits(List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30)), List.of(obligation("o1", null, "aaaaaaaa-1", 60)),
                List.of(new MessageStore.Unread("bbbbbbbb-1", 1, NOW.minusSeconds(30))));
        r = StatusReport.build("/r", agents, id -> null, open, Duration.ofMinutes(30), NOW);
        assertThat(r).containsEntry("healthy", true).containsEntry("problems", List.of()).containsEntry("max_obligation_age_ms", 1_800_000L);
        @SuppressWarnings("unchecked") Map<String, Object> alice = (Map<String, Object>) at(r, "projects", 0, "agents", 0);
        assertThat(alice).containsEntry("label", "alice (aaaaaaaa)").containsEntry("unread", 0)
                .containsEntry("waits_for", List.of("bob (bbbbbbbb)")).containsEntry("on_cycle", false);
        assertThat(StatusReportTest.<Map<String, Object>>cast(alice.get("activity"))).containsEntry("state", "busy").containsEntry("age_s", 125L);
        assertThat(at(r, "projects", 0, "waits")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement().satisfies(w -> assertThat(StatusReportTest.<Map<String, Object>>cast(w))
                .containsEntry("from", "alice (aaaaaaaa)").containsEntry("to", "bob (bbbbbbbb)").containsEntry("age_s", 30L)
                .containsEntry("asks", 1).containsEntry("obligations", 0));
    }

    @Test
    void reportsTheCycleStrandedMailAndStaleObligationsInCheckOrder() {
        List<Agent> agents = List.of(agent("aaaaaaaa-1", "alice", true), agent("bbbbbbbb-1", "bob", true), agent("cccccccc-1", "carol", false));
        var open = new Messaging.OpenWaits(
                List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30), ask("bbbbbbbb-1", "aaaaaaaa-1", 20)),
                List.of(obligation("o1", "aaaaaaaa-1", "cccccccc-1", 7200), obligation("o2", null, "bbbbbbbb-1", 10)),
                List.of(new MessageStore.Unread("cccccccc-1", 2, NOW.minusSeconds(7200))));
        Map<String, Object> r = StatusReport.build("/r", agents, id -> null, open, Duration.ofSeconds(5), NOW);
        assertThat(r).containsEntry("healthy", false).containsEntry("problems", List.of("deadlock", "stranded_mail", "stale_obligation"));
        assertThat(at(r, "projects", 0, "cycles")).isEqualTo(List.of(List.of("alice (aaaaaaaa)", "bob (bbbbbbbb)")));
        assertThat(at(r, "projects", 0, "stranded")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement().satisfies(s -> assertThat(StatusReportTest.<Map<String, Object>>cast(s))
                .containsEntry("agent", "carol (cccccccc)").containsEntry("count", 2).containsEntry("age_s", 7200L));
        assertThat(at(r, "projects", 0, "stale_obligations")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).extracting(o -> ((Map<String, Object>) o).get("from"))
                .containsExactly("alice (aaaaaaaa)", "operator");
        assertThat(at(r, "projects", 0, "agents", 2)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("online", false).containsEntry("unread", 2).containsEntry("on_cycle", false);
    }
}
