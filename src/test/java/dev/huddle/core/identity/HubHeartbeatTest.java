package dev.huddle.core.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule of when another machine's agents count as offline: its hub's heartbeats, by the server's clock. */
class HubHeartbeatTest {
    static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");

    private static HubHeartbeat beatAgo(Duration ago) {
        return new HubHeartbeat("devbox", NOW.minus(ago), null, NOW);
    }

    @Test
    void aHubThatBeatWithinEightSecondsIsNotSilent() {
        assertThat(beatAgo(Duration.ZERO).silent()).isFalse();
        assertThat(beatAgo(Duration.ofSeconds(2)).silent()).as("one beat ago").isFalse();
        assertThat(beatAgo(Duration.ofSeconds(7)).silent()).as("three beats missed: a loaded machine, not a dead one").isFalse();
        assertThat(beatAgo(HubHeartbeat.SILENT_AFTER).silent()).as("exactly the threshold").isFalse();
        assertThat(beatAgo(Duration.ofSeconds(7)).reason()).isNull();
    }

    @Test
    void aHubSilentForLongerIsSilentSinceItsLastBeat() {
        HubHeartbeat h = beatAgo(HubHeartbeat.SILENT_AFTER.plusMillis(1));
        assertThat(h.silent()).isTrue();
        assertThat(h.silentSince()).isEqualTo(NOW.minus(HubHeartbeat.SILENT_AFTER.plusMillis(1)));
        assertThat(beatAgo(Duration.ofSeconds(12)).reason())
                .isEqualTo("machine devbox silent since 2026-12-07T13:59:48Z (no hub heartbeat for 12 s)");
    }

    @Test
    void theThresholdShowsAgentsOfflineWithinTenSecondsOfTheLastBeat() {
        // the last beat, the threshold after it, and the reader's next look (a listing reads at once; watchers within a beat)
        assertThat(HubHeartbeat.SILENT_AFTER.plus(HubHeartbeat.BEAT)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(HubHeartbeat.SILENT_AFTER).isGreaterThanOrEqualTo(HubHeartbeat.BEAT.multipliedBy(3));
    }

    @Test
    void aStoppedHubIsSilentAtOnce() {
        HubHeartbeat h = new HubHeartbeat("devbox", NOW.minusSeconds(1), NOW.minusMillis(500), NOW);
        assertThat(h.silent()).isTrue();
        assertThat(h.silentSince()).isEqualTo(NOW.minusMillis(500));
        assertThat(h.reason()).isEqualTo("machine devbox's hub stopped at 2026-12-07T13:59:59.500Z");
    }

    @Test
    void aMachineWhoseHubNeverBeatIsSilent() {
        HubHeartbeat h = new HubHeartbeat("old-laptop", null, null, NOW);
        assertThat(h.silent()).isTrue();
        assertThat(h.age()).isNull();
        assertThat(h.silentSince()).isNull();
        assertThat(h.reason()).isEqualTo("machine old-laptop has no hub heartbeat");
    }

    @Test
    void anAgentShownOfflineForItsMachinesSilenceSaysWhyAndAWakeIsStillDecidedForItsHub() {
        Agent row = Agent.create("bob", "bob", BindingSource.HOOK, ClientType.CODEX, "/r", "/r", null, NOW.minusSeconds(60))
                .withActivity(Activity.IDLE, NOW.minusSeconds(30));
        HubHeartbeat h = beatAgo(Duration.ofSeconds(12));
        Agent shown = row.shownOffline(h.silentSince(), h.reason());
        assertThat(shown.online()).isFalse();
        assertThat(shown.offlineAt()).isEqualTo(h.silentSince());
        assertThat(shown.offlineReason()).startsWith("machine devbox silent since ");
        assertThat(shown.activity()).as("what it last reported is kept").isEqualTo(Activity.IDLE);
        assertThat(dev.huddle.core.wake.WakeTarget.of(shown, false).online()).as("decided as its row says, carried out by its hub").isTrue();
        assertThat(dev.huddle.core.wake.WakeTarget.of(row.wentOffline(NOW), false).online()).as("its process ended").isFalse();
        assertThat(shown.seen("/r", "/r", null, NOW).offlineReason()).as("back").isNull();
    }

    @Test
    void aBeatAheadOfTheReadersClockIsFresh() {
        HubHeartbeat h = new HubHeartbeat("devbox", NOW.plusSeconds(30), null, NOW);
        assertThat(h.age()).isEqualTo(Duration.ZERO);
        assertThat(h.silent()).isFalse();
    }
}
