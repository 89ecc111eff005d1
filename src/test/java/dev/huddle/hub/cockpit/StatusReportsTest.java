package dev.huddle.hub.cockpit;

import dev.huddle.hub.messaging.OpenWaits;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.protocol.cockpit.ActivityState;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.StaleObligation;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.store.MessageStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StatusReports} from fixtures of hub state: waits, cycles, stranded mail, stale obligations, problems. */
class StatusReportsTest {
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

    @Test
    void aHealthyProjectHasNoProblems() {
        List<Agent> agents = List.of(agent("aaaaaaaa-1", "alice", true), agent("bbbbbbbb-1", "bob", true));
        var open = new OpenWaits(List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30)), List.of(obligation("o1", "bbbbbbbb-1", "aaaaaaaa-1", 60)),
                List.of(new MessageStore.Unread("bbbbbbbb-1", 1, NOW.minusSeconds(30))));
        StatusReport r = StatusReports.build("/r", agents, id -> null, open, Duration.ofMinutes(30), NOW);
        // a waits for b (ask), b waits for a (obligation): that IS a cycle. Take the obligation the other way round.
        assertThat(r.healthy()).isFalse();
        assertThat(r.problems()).isEqualTo(List.of("deadlock"));

        open = new OpenWaits(List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30)), List.of(obligation("o1", null, "aaaaaaaa-1", 60)),
                List.of(new MessageStore.Unread("bbbbbbbb-1", 1, NOW.minusSeconds(30))));
        r = StatusReports.build("/r", agents, id -> null, open, Duration.ofMinutes(30), NOW);
        assertThat(r.healthy()).isTrue();
        assertThat(r.problems()).isEqualTo(List.of());
        assertThat(r.maxObligationAgeMs()).isEqualTo(1_800_000L);
        AgentStatus alice = r.projects().getFirst().agents().getFirst();
        assertThat(alice.label()).isEqualTo("alice (aaaaaaaa)");
        assertThat(alice.unread()).isZero();
        assertThat(alice.waitsFor()).isEqualTo(List.of("bob (bbbbbbbb)"));
        assertThat(alice.onCycle()).isFalse();
        assertThat(alice.activity()).isEqualTo(new ActivityState("busy", 125L));
        assertThat(r.projects().getFirst().waits()).singleElement().satisfies(w -> {
            assertThat(w.from()).isEqualTo("alice (aaaaaaaa)");
            assertThat(w.to()).isEqualTo("bob (bbbbbbbb)");
            assertThat(w.ageS()).isEqualTo(30L);
            assertThat(w.asks()).isEqualTo(1);
            assertThat(w.obligations()).isZero();
        });
    }

    @Test
    void reportsTheCycleStrandedMailAndStaleObligationsInCheckOrder() {
        List<Agent> agents = List.of(agent("aaaaaaaa-1", "alice", true), agent("bbbbbbbb-1", "bob", true), agent("cccccccc-1", "carol", false));
        var open = new OpenWaits(
                List.of(ask("aaaaaaaa-1", "bbbbbbbb-1", 30), ask("bbbbbbbb-1", "aaaaaaaa-1", 20)),
                List.of(obligation("o1", "aaaaaaaa-1", "cccccccc-1", 7200), obligation("o2", null, "bbbbbbbb-1", 10)),
                List.of(new MessageStore.Unread("cccccccc-1", 2, NOW.minusSeconds(7200))));
        StatusReport r = StatusReports.build("/r", agents, id -> null, open, Duration.ofSeconds(5), NOW);
        assertThat(r.healthy()).isFalse();
        assertThat(r.problems()).isEqualTo(List.of("deadlock", "stranded_mail", "stale_obligation"));
        ProjectStatus p = r.projects().getFirst();
        assertThat(p.cycles()).isEqualTo(List.of(List.of("alice (aaaaaaaa)", "bob (bbbbbbbb)")));
        assertThat(p.stranded()).singleElement().satisfies(s -> {
            assertThat(s.agent()).isEqualTo("carol (cccccccc)");
            assertThat(s.count()).isEqualTo(2);
            assertThat(s.ageS()).isEqualTo(7200L);
        });
        assertThat(p.staleObligations()).extracting(StaleObligation::from).containsExactly("alice (aaaaaaaa)", "operator");
        AgentStatus carol = p.agents().get(2);
        assertThat(carol.online()).isFalse();
        assertThat(carol.unread()).isEqualTo(2);
        assertThat(carol.onCycle()).isFalse();
    }
}
