package dev.huddle.hub.wake;

import dev.huddle.hub.Hub;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.messaging.AskWaiters;
import dev.huddle.hub.messaging.Messaging;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.messaging.Ask;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.core.wake.WakeTarget;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import dev.huddle.terminal.WakeAttempt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The wake timers' decisions over a real database and the real {@link WakeService} (so {@link
 * dev.huddle.core.wake.WakePolicy} gates every timer wake), with a manual clock and a scripted terminal route: when
 * they look, what they record, when they stop, and that a fresh instance (a restarted hub) carries on from the rows.
 */
class WakeTimersTest {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final AgentClients CLIENTS = AgentClients.installed();
    /** The routes whose fired wake the client keeps (codex queue): never retried. */
    static final Set<String> KEPT = CLIENTS.routesThatKeepTheWake();
    static final WakeSettings S = WakeSettings.DEFAULTS; // retries 5, 15, 45 s; re-pokes 4 min apart, 3 at most; pull-back after 15 s

    @TempDir
    Path tmp;
    SqliteDatabase db;
    SqliteAgentStore agents;
    SqliteMessageStore messages;
    SqliteWakeStore wakes;
    ManualClock clock = new ManualClock(T0);
    AskWaiters asks = new AskWaiters();
    /** What the scripted route answers, in order; when empty, {@code fired}. */
    final Deque<WakeStatus> script = new ArrayDeque<>();
    final AtomicInteger typed = new AtomicInteger();
    WakeService service;
    WakeTimers timers;
    int seq;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        agents = new SqliteAgentStore(db);
        messages = new SqliteMessageStore(db);
        wakes = new SqliteWakeStore(db);
        // Codex agents without hooks: no rewake route, and the policy wakes a bound hookless agent by default.
        agents.save(Agent.create("alice", "alice", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(11, 1), T0));
        agents.save(Agent.create("bob", "bob", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(12, 1), T0));
        timers = newTimers(S);
    }

    @AfterEach
    void close() {
        timers.close();
        db.close();
    }

    /** A hub's worth of wiring (as Hub does it) over the same database: a second call is a restarted hub. */
    private WakeTimers newTimers(WakeSettings s) {
        ProcessInspector processes = new ProcessInspector();
        AgentRegistry registry = new AgentRegistry(agents, db, processes, new TerminalLocator(processes),
                new ProjectLocator(new NioFileProbe()), clock, CLIENTS, Duration.ofHours(24), new OfflineListeners());
        WakeListeners listeners = new WakeListeners();
        service = new WakeService(CLIENTS, registry, wakes, db, new RewakeWaiters(), (target, text) -> {
            typed.incrementAndGet();
            WakeStatus st = script.isEmpty() ? WakeStatus.FIRED : script.poll();
            return new WakeAttempt(st, "tmux", "%1", "scripted " + st.wireName(), 1, 0, 7, Map.of());
        }, s, true, clock, listeners);
        WakeTimers t = new WakeTimers(agents, messages, wakes, db, s, clock, service::afterCommit, asks::isWaiting, null, CLIENTS.routesThatKeepTheWake());
        listeners.add(t);
        return t;
    }

    // ---- retry an unconfirmed wake ----

    @Test
    void anUnconfirmedWakeIsRetriedWithBackoffAndStopsWhenTheAgentStartsATurn() {
        String m = operatorMessage("bob");
        wake(m, "bob");
        assertThat(timers.look()).as("the first look: 5 s after the route's outcome").isEqualTo(T0.plusSeconds(5));

        clock.advance(Duration.ofSeconds(5));
        assertThat(timers.look()).as("acted: look again at once").isEqualTo(clock.instant());
        awaitRoute(m, 2);
        assertThat(timers.look()).as("attempt 2 is followed up 15 s later").isEqualTo(T0.plusSeconds(20));

        clock.advance(Duration.ofSeconds(15));
        timers.look();
        awaitRoute(m, 3);
        assertThat(timers.look()).isEqualTo(T0.plusSeconds(65));

        clock.advance(Duration.ofSeconds(10));
        agents.save(agents.find("bob").orElseThrow().calledTool(clock.instant())); // it read its mail: a turn
        clock.advance(Duration.ofSeconds(35));
        assertThat(timers.look()).as("confirmed: nothing more to do").isNull();

        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                tuple("will_fire", 1, "operator"), tuple("fired", 1, "operator"),
                tuple("will_fire", 2, "retry"), tuple("fired", 2, "retry"),
                tuple("will_fire", 3, "retry"), tuple("fired", 3, "retry"),
                tuple("confirmed", 3, "retry"));
        WakeRecord confirmed = wakes.forMessage(m).getLast();
        assertThat(confirmed.route()).isEqualTo("tmux");
        assertThat(confirmed.reason()).isEqualTo("confirmed: the agent called a huddle tool 30 s after the first attempt");
        assertThat(wakes.latestFor(m).orElseThrow().status()).as("what message_status shows").isEqualTo("confirmed");
        assertThat(typed).hasValue(3);
    }

    @Test
    void anUnconfirmedWakeGivesUpAfterItsLastAttempt() {
        script.addAll(List.of(WakeStatus.FIRED_UNCONFIRMED, WakeStatus.FIRED_UNCONFIRMED, WakeStatus.FIRED_UNCONFIRMED, WakeStatus.FIRED_UNCONFIRMED));
        String m = operatorMessage("bob");
        wake(m, "bob");
        long[] delays = {5, 15, 45};
        for (int i = 0; i < delays.length; i++) {
            clock.advance(Duration.ofSeconds(delays[i]));
            timers.look();
            awaitRoute(m, i + 2);
        }
        assertThat(timers.look()).as("the last attempt is given its own delay to be confirmed").isEqualTo(clock.instant().plusSeconds(135));
        clock.advance(Duration.ofSeconds(135));
        assertThat(timers.look()).isNull();
        WakeRecord end = wakes.forMessage(m).getLast();
        assertThat(end.status()).isEqualTo("gave_up");
        assertThat(end.attempt()).isEqualTo(4);
        assertThat(end.reason()).isEqualTo("gave up after 4 attempts over 200 s (at most 3 retries)");
        assertThat(typed).hasValue(4);
        clock.advance(Duration.ofMinutes(10));
        assertThat(timers.look()).isNull();
        assertThat(typed).hasValue(4);
    }

    @Test
    void aMessageAlreadyDeliveredOrABusyReportConfirmsTheWake() {
        String m = operatorMessage("bob");
        wake(m, "bob");
        clock.advance(Duration.ofSeconds(2));
        messages.markDelivered(List.of(m), clock.instant(), Message.DeliveryVia.HOOK);
        clock.advance(Duration.ofSeconds(3));
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m).getLast().reason()).isEqualTo("confirmed: the agent has the message (delivered via hook 2 s after the first attempt)");

        String m2 = operatorMessage("alice");
        wake(m2, "alice");
        clock.advance(Duration.ofSeconds(1));
        agents.save(agents.find("alice").orElseThrow().withActivity(Activity.BUSY, clock.instant()));
        clock.advance(Duration.ofSeconds(4));
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m2).getLast().reason()).isEqualTo("confirmed: the agent's hooks report a turn 1 s after the first attempt");
    }

    @Test
    void aRetryThePolicyRefusesEndsTheWakeWithItsReason() {
        String m = operatorMessage("bob");
        wake(m, "bob");
        agents.save(agents.find("bob").orElseThrow().wentOffline(T0.plusSeconds(1)));
        clock.advance(Duration.ofSeconds(5));
        timers.look();
        assertThat(timers.look()).isNull();
        WakeRecord last = wakes.forMessage(m).getLast();
        assertThat(last.status()).isEqualTo("skipped_offline");
        assertThat(last.kind()).isEqualTo("retry");
        assertThat(last.attempt()).isEqualTo(2);
        assertThat(typed).hasValue(1);
    }

    @Test
    void theKillSwitchStopsRetriesToo() {
        String m = operatorMessage("bob");
        wake(m, "bob");
        timers.close();
        timers = newTimers(S.withKillSwitch("HUDDLE_WAKE=off in the hub's environment"));
        clock.advance(Duration.ofSeconds(5));
        timers.look();
        assertThat(wakes.forMessage(m).getLast().status()).isEqualTo("skipped_kill_switch");
        assertThat(timers.look()).isNull();
    }

    @Test
    void onlyWakesWhoseRouteMayNotHaveReachedTheAgentAreRetried() {
        WakeRecord d = row("will_fire", null, 1, 0, "send");
        assertThat(WakeChain.of(List.of(d, row("fired", "tmux", 1, 1, "send"))).open(KEPT)).isTrue();
        assertThat(WakeChain.of(List.of(d, row("fired_unconfirmed", "kitty", 1, 1, "send"))).open(KEPT)).isTrue();
        assertThat(WakeChain.of(List.of(d, row("skipped_human_typing", "tmux", 1, 1, "send"))).open(KEPT)).as("deferred").isTrue();
        assertThat(WakeChain.of(List.of(d)).open(KEPT)).as("route still running").isTrue();
        assertThat(WakeChain.of(List.of(d, row("fired", "async_rewake", 1, 1, "send"))).open(KEPT))
                .as("the rewake hook's answer carried the mail: the delivery handshake settles it").isFalse();
        assertThat(WakeChain.of(List.of(d, row("skipped_no_route", null, 1, 1, "send"))).open(KEPT)).isFalse();
        assertThat(WakeChain.of(List.of(d, row("failed", "tmux", 1, 1, "send"))).open(KEPT)).isFalse();
        assertThat(WakeChain.of(List.of(d, row("fired_unconfirmed", "codex_queue", 1, 1, "send"))).open(KEPT))
                .as("the queue keeps the pointer until Codex holds the thread: more would pile up").isFalse();
        assertThat(WakeChain.of(List.of(row("will_fire", null, 1, 0, "repoke"), row("fired", "tmux", 1, 1, "repoke"))).open(KEPT))
                .as("timer wakes are not retried").isFalse();
        assertThat(WakeChain.of(List.of(row("skipped_busy", null, 1, 0, "send")))).as("never fired").isNull();
        // other rows for the same message (a re-poke the policy skipped) do not end the chain
        WakeChain c = WakeChain.of(List.of(d, row("fired", "tmux", 1, 1, "send"), row("skipped_busy", null, 1, 3, "repoke"),
                row("will_fire", null, 2, 6, "retry")));
        assertThat(c.attempt()).isEqualTo(2);
        assertThat(c.firstAt()).isEqualTo(T0);
        assertThat(c.lastAt()).as("no outcome yet: the decision").isEqualTo(T0.plusSeconds(6));
        assertThat(c.lookAt(S)).isEqualTo(T0.plusSeconds(6).plus(WakeChain.ROUTE_TIMEOUT));
    }

    // ---- re-poke a silent delegate ----

    @Test
    void aSilentDelegateOfAnAskIsRepokedAfterTheGraceAtMostCapTimes() {
        String m = ask("alice", "bob", "r1");
        assertThat(timers.look()).as("nothing before the 4 min grace").isEqualTo(T0.plus(Duration.ofMinutes(4)));
        for (int poke = 1; poke <= 3; poke++) {
            clock.advance(Duration.ofMinutes(4));
            assertThat(timers.look()).isEqualTo(clock.instant());
            awaitRoute(m, poke);
            assertThat(timers.look()).isEqualTo(poke < 3 ? clock.instant().plus(Duration.ofMinutes(4)) : null);
        }
        clock.advance(Duration.ofHours(1));
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m)).filteredOn(r -> r.status().equals("will_fire"))
                .extracting(WakeRecord::kind, WakeRecord::attempt).containsExactly(tuple("repoke", 1), tuple("repoke", 2), tuple("repoke", 3));
        assertThat(wakes.forMessage(m).getFirst().reason()).startsWith("re-poking a silent delegate");
        assertThat(typed).hasValue(3);
    }

    @Test
    void aDelegateThatGotTheMessageOrClosedTheObligationIsLeftAlone() {
        String m = ask("alice", "bob", "r1");
        clock.advance(Duration.ofSeconds(3)); // past the 2 s debounce of the first poke
        String o = obligation("alice", "bob");
        clock.advance(Duration.ofMinutes(4).minusSeconds(3));
        timers.look();
        awaitRoute(m, 1);
        clock.advance(Duration.ofSeconds(3));
        timers.look();
        awaitRoute(o, 1);
        messages.markDelivered(List.of(m), clock.instant(), Message.DeliveryVia.TOOL);
        messages.closeObligation(o, Message.ObligationState.DONE, clock.instant(), null);
        assertThat(timers.look()).isNull();
        clock.advance(Duration.ofMinutes(30));
        assertThat(timers.look()).isNull();
        assertThat(typed).hasValue(2);
    }

    @Test
    void aRepokeThePolicySkipsCountsAgainstTheCap() {
        String m = ask("alice", "bob", "r1");
        agents.save(agents.find("bob").orElseThrow().wentOffline(T0.plusSeconds(1)));
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(4));
            timers.look();
        }
        clock.advance(Duration.ofMinutes(4));
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status).containsExactly("skipped_offline", "skipped_offline", "skipped_offline");
        assertThat(typed).hasValue(0);
    }

    // ---- pull back a requester ----

    @Test
    void theRequesterOfAnAnsweredTimedOutAskIsPulledBackOnceAfterTheGrace() {
        ask("alice", "bob", "r1");
        clock.advance(Duration.ofSeconds(70)); // alice's ask_peer timed out at 60 s
        String reply = reply("bob", "alice", "r1", null);
        assertThat(timers.look()).isEqualTo(clock.instant().plusSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        assertThat(timers.look()).isEqualTo(clock.instant());
        awaitRoute(reply, 1);
        assertThat(timers.look()).as("once").isNull();
        assertThat(wakes.forMessage(reply)).extracting(WakeRecord::status, WakeRecord::kind, WakeRecord::replyTo, WakeRecord::targetId)
                .containsExactly(tuple("will_fire", "pull_back", "r1", "alice"), tuple("fired", "pull_back", "r1", "alice"));
        assertThat(wakes.forMessage(reply).getFirst().reason()).startsWith("pulling back the requester");
        clock.advance(Duration.ofMinutes(5));
        assertThat(timers.look()).isNull();
        assertThat(typed).hasValue(1);
    }

    @Test
    void aPullBackWaitsWhileTheRequesterIsInAnAskPeerAndIsOnceWithTheRepliesOwnWake() {
        ask("alice", "bob", "r1");
        clock.advance(Duration.ofSeconds(70));
        String reply = reply("bob", "alice", "r1", null);
        AskWaiters.Waiter other = asks.register("r2", "alice", "bob");
        clock.advance(Duration.ofSeconds(15));
        assertThat(timers.look()).as("blocked in another ask_peer: later").isEqualTo(clock.instant().plusSeconds(15));
        assertThat(wakes.forMessage(reply)).isEmpty();
        asks.remove(other);
        // meanwhile the reply's own wake went out (its route found no way in, so no retry follows): the pull-back
        // is the same (target, reply_to) wake
        script.add(WakeStatus.SKIPPED_NO_ROUTE);
        service.afterCommit(reply, agents.find("alice").orElseThrow(), WakeRequest.reply(WakeTarget.of(agents.find("alice").orElseThrow(), false), null, "r1", true));
        awaitRoute(reply, 1);
        clock.advance(Duration.ofSeconds(15));
        timers.look();
        assertThat(wakes.forMessage(reply)).extracting(WakeRecord::status, WakeRecord::kind).contains(tuple("skipped_already_woken", "pull_back"));
        assertThat(typed).hasValue(1);
    }

    @Test
    void noPullBackForAReplySentWithWakeOffOrOnceTheRequesterReadIt() {
        ask("alice", "bob", "r1");
        ask("alice", "bob", "r2");
        clock.advance(Duration.ofSeconds(70));
        String quiet = reply("bob", "alice", "r1", "off");
        String read = reply("bob", "alice", "r2", null);
        messages.markDelivered(List.of(read), clock.instant(), Message.DeliveryVia.HOOK);
        clock.advance(Duration.ofSeconds(20));
        // the two ask messages were never read, but the asks are answered (closed): no re-poke either
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(quiet)).isEmpty();
        assertThat(wakes.forMessage(read)).isEmpty();
    }

    @Test
    void aPullBackPastItsMaximumAgeIsDropped() {
        ask("alice", "bob", "r1");
        String reply = reply("bob", "alice", "r1", null);
        clock.advance(Duration.ofHours(2));
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(reply)).isEmpty();
    }

    // ---- decide again a wake the debounce or rate limit refused ----

    @Test
    void aRateLimitedWakeIsDecidedAgainWhenTheWindowFreesASlotAcrossARestart() {
        pastWakes("bob", 6, T0.minusSeconds(60)); // 6 wakes in the last 5 min: T0-60 s ... T0-55 s
        String m = operatorMessage("bob");
        assertThat(ownWake(m, "bob").status()).isEqualTo("skipped_rate_limited");
        Instant free = T0.minusSeconds(60).plus(S.rateWindow());
        assertThat(timers.look()).as("the oldest wake leaves the window").isEqualTo(free);
        timers.close();
        timers = newTimers(S); // the hub restarted: the refusal is in the database
        assertThat(timers.look()).isEqualTo(free);
        clock.advance(Duration.between(clock.instant(), free).minusMillis(1));
        assertThat(timers.look()).isEqualTo(free);
        clock.advance(Duration.ofMillis(1));
        assertThat(timers.look()).isEqualTo(clock.instant());
        awaitRoute(m, 2);
        assertThat(timers.look()).as("the retry timer follows the deferred wake, as attempt 2 of its message's wake: 15 s")
                .isEqualTo(clock.instant().plusSeconds(15));
        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                tuple("skipped_rate_limited", 1, "operator"), tuple("will_fire", 2, "deferred"), tuple("fired", 2, "deferred"));
        assertThat(wakes.forMessage(m).get(1).reason()).startsWith("deciding again a wake the debounce or rate limit had deferred");
        assertThat(typed).hasValue(1);
    }

    @Test
    void aDebouncedWakeIsDecidedAgainWhenTheDebounceEnds() {
        String m0 = operatorMessage("bob");
        wake(m0, "bob");
        clock.advance(Duration.ofSeconds(1));
        String m = operatorMessage("bob");
        assertThat(ownWake(m, "bob").status()).isEqualTo("skipped_debounced");
        assertThat(timers.look()).as("2 s after the wake, before m0's retry at 5 s").isEqualTo(T0.plusSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        timers.look();
        awaitRoute(m, 2);
        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                tuple("skipped_debounced", 1, "operator"), tuple("will_fire", 2, "deferred"), tuple("fired", 2, "deferred"));
        assertThat(typed).hasValue(2);
    }

    @Test
    void refusedWakesToOneTargetCoalesceIntoOneDeferredWakeForTheNewest() {
        pastWakes("bob", 6, T0.minusSeconds(60));
        String[] ms = new String[5];
        for (int i = 0; i < 5; i++) {
            ms[i] = operatorMessage("bob");
            assertThat(ownWake(ms[i], "bob").status()).isEqualTo("skipped_rate_limited");
            clock.advance(Duration.ofSeconds(1));
        }
        Instant free = T0.minusSeconds(60).plus(S.rateWindow());
        assertThat(timers.look()).isEqualTo(free);
        clock.advance(Duration.between(clock.instant(), free));
        timers.look();
        awaitRoute(ms[4], 2);
        timers.look();
        messages.markDelivered(List.of(ms), clock.instant(), Message.DeliveryVia.TOOL); // the pointer brought it to all five
        clock.advance(Duration.ofSeconds(15));
        assertThat(timers.look()).as("confirmed; nothing else pending").isNull();
        clock.advance(Duration.ofMinutes(10));
        assertThat(timers.look()).isNull();
        for (int i = 0; i < 4; i++) assertThat(wakes.forMessage(ms[i])).as("message %d", i).hasSize(1);
        assertThat(wakes.forMessage(ms[4])).extracting(WakeRecord::status).containsExactly("skipped_rate_limited", "will_fire", "fired", "confirmed");
        assertThat(typed).hasValue(1);
    }

    @Test
    void nothingFiresForADeliveredMessageOrOneALaterWakeCovers() {
        pastWakes("bob", 6, T0.minusSeconds(60));
        pastWakes("alice", 6, T0.minusSeconds(60));
        String delivered = operatorMessage("bob");
        ownWake(delivered, "bob");
        String covered = operatorMessage("alice");
        ownWake(covered, "alice");
        messages.markDelivered(List.of(delivered), clock.instant().plusSeconds(1), Message.DeliveryVia.HOOK);
        clock.advance(S.rateWindow());
        // a newer message to alice was woken first, now that the slot is free: its pointer covers the refused one
        String newer = operatorMessage("alice");
        assertThat(ownWake(newer, "alice").status()).isEqualTo("will_fire");
        awaitRoute(newer, 1);
        timers.look();
        assertThat(wakes.forMessage(delivered)).hasSize(1);
        assertThat(wakes.forMessage(covered)).hasSize(1);
        assertThat(typed).hasValue(1);
    }

    @Test
    void aTargetBusyAtTheDueTimeEndsTheDeferredWake() {
        pastWakes("bob", 6, T0.minusSeconds(60));
        String m = operatorMessage("bob");
        ownWake(m, "bob");
        clock.advance(Duration.ofMinutes(4));
        agents.save(agents.find("bob").orElseThrow().withActivity(Activity.BUSY, clock.instant())); // its turn reads the mail
        timers.look();
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                tuple("skipped_rate_limited", 1, "operator"), tuple("skipped_busy", 2, "deferred"));
        clock.advance(Duration.ofMinutes(20));
        assertThat(timers.look()).isNull();
        assertThat(typed).hasValue(0);
    }

    @Test
    void aDeferredWakeGivesUpWhenTheMessageIsAnHourOld() {
        pastWakes("bob", 6, T0.minusSeconds(60));
        String m = operatorMessage("bob");
        ownWake(m, "bob");
        clock.advance(Duration.ofHours(1)); // the hub was down meanwhile
        assertThat(timers.look()).isNull();
        WakeRecord end = wakes.forMessage(m).getLast();
        assertThat(end.status()).isEqualTo("gave_up");
        assertThat(end.kind()).isEqualTo("deferred");
        assertThat(end.reason()).startsWith("the deferred wake gave up: the message has been unread for 3600 s");
        assertThat(timers.look()).isNull();
        assertThat(wakes.forMessage(m)).hasSize(2);
        assertThat(typed).hasValue(0);
    }

    @Test
    void aDeferredWakeRefusedAgainByTheRateLimitIsDeferredAgain() {
        pastWakes("bob", 6, T0.minusSeconds(60));
        String m = operatorMessage("bob");
        ownWake(m, "bob");
        // as a lost race at the due time leaves it: the deferred decision refused again (the slot was taken and freed)
        wakes.record(new WakeRecord(0, m, "bob", null, "codex", null, "skipped_rate_limited", "raced", 2, T0.plusSeconds(1), null, "deferred"));
        clock.advance(Duration.ofMinutes(4));
        timers.look();
        awaitRoute(m, 3);
        assertThat(wakes.forMessage(m)).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                tuple("skipped_rate_limited", 1, "operator"), tuple("skipped_rate_limited", 2, "deferred"),
                tuple("will_fire", 3, "deferred"), tuple("fired", 3, "deferred"));
        assertThat(typed).hasValue(1);
    }

    @Test
    void refusalsOfTimerWakesAreNotDeferred() {
        assertThat(WakeTimers.deferrable(dev.huddle.core.wake.WakeKind.SEND, dev.huddle.core.wake.WakeStatus.SKIPPED_RATE_LIMITED)).isTrue();
        assertThat(WakeTimers.deferrable(dev.huddle.core.wake.WakeKind.DEFERRED, dev.huddle.core.wake.WakeStatus.SKIPPED_DEBOUNCED)).isTrue();
        assertThat(WakeTimers.deferrable(dev.huddle.core.wake.WakeKind.ASK, dev.huddle.core.wake.WakeStatus.SKIPPED_BUSY)).isFalse();
        for (var k : List.of(dev.huddle.core.wake.WakeKind.RETRY, dev.huddle.core.wake.WakeKind.REPOKE, dev.huddle.core.wake.WakeKind.PULL_BACK)) {
            assertThat(WakeTimers.deferrable(k, dev.huddle.core.wake.WakeStatus.SKIPPED_RATE_LIMITED)).as(k.wireName()).isFalse();
        }
    }

    // ---- restart, scheduling ----

    @Test
    void aRestartedHubCarriesOnFromTheRows() {
        String m = operatorMessage("bob");
        wake(m, "bob");
        clock.advance(Duration.ofSeconds(5));
        timers.look();
        awaitRoute(m, 2);
        timers.close();
        timers = newTimers(S); // the hub restarted: nothing in memory
        assertThat(timers.look()).isEqualTo(clock.instant().plusSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        timers.look();
        awaitRoute(m, 3);
        assertThat(wakes.forMessage(m)).filteredOn(r -> r.status().equals("will_fire")).extracting(WakeRecord::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void theSchedulerSleepsUntilTheNextLookAndNotAtAllWhenNothingIsPending() {
        timers.close();
        WakeSettings fast = S.withTimers(Duration.ofMillis(200), 2, 1, Duration.ofMinutes(4), Duration.ofMinutes(4), 3,
                Duration.ofSeconds(15), Duration.ofHours(1)).withWindows(S.busyTtl(), S.freshIdle(), Duration.ofMillis(50), S.rateLimit(), S.rateWindow());
        clock = null; // the real clock: the scheduler sleeps for real
        Clock real = Clock.systemUTC();
        ProcessInspector processes = new ProcessInspector();
        AgentRegistry registry = new AgentRegistry(agents, db, processes, new TerminalLocator(processes), new ProjectLocator(new NioFileProbe()), real,
                CLIENTS, Duration.ofHours(24), new OfflineListeners());
        WakeListeners listeners = new WakeListeners();
        service = new WakeService(CLIENTS, registry, wakes, db, new RewakeWaiters(), (target, text) -> {
            typed.incrementAndGet();
            return new WakeAttempt(WakeStatus.FIRED_UNCONFIRMED, "tmux", "%1", "scripted", 1, 0, 7, Map.of());
        }, fast, true, real, listeners);
        timers = new WakeTimers(agents, messages, wakes, db, fast, real, service::afterCommit, asks::isWaiting,
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("wake-timers-test").daemon(true).factory()),
                CLIENTS.routesThatKeepTheWake());
        listeners.add(timers);
        timers.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> timers.nextLookAt() == null);

        String m = "e000000000000001";
        messages.insert(new Message(0, m, "/r", null, Message.Origin.OPERATOR, "bob", "hello", null, null, null, false, null,
                real.instant(), null, null, null, null, null));
        service.afterCommit(m, agents.find("bob").orElseThrow(), WakeRequest.operator(WakeTarget.of(agents.find("bob").orElseThrow(), false), null));
        // attempt 1, then one retry 200 ms after it, then the give-up 400 ms after that: on their own
        await().atMost(Duration.ofSeconds(10)).until(() -> wakes.latestFor(m).map(r -> r.status().equals("gave_up")).orElse(false));
        assertThat(typed).hasValue(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> timers.nextLookAt() == null);
    }

    // ---- helpers ----

    private String nextId() {
        return String.format("%016x", ++seq);
    }

    private String operatorMessage(String to) {
        String id = nextId();
        messages.insert(new Message(0, id, "/r", null, Message.Origin.OPERATOR, to, "hello", null, null, null, false, null,
                clock.instant(), null, null, null, null, null));
        return id;
    }

    private String ask(String from, String to, String requestId) {
        String id = nextId();
        tx(() -> {
            messages.insert(new Message(0, id, "/r", from, Message.Origin.PEER, to, "question", requestId, null, null, false, null,
                    clock.instant(), null, null, null, null, null));
            messages.insertAsk(new Ask(requestId, id, from, to, clock.instant(), Ask.State.PENDING, null, null));
        });
        return id;
    }

    private String obligation(String from, String to) {
        String id = nextId();
        messages.insert(new Message(0, id, "/r", from, Message.Origin.PEER, to, "do it", null, null, null, true, null,
                clock.instant(), null, null, Message.ObligationState.OPEN, null, null));
        return id;
    }

    private String reply(String from, String to, String requestId, String wake) {
        String id = nextId();
        tx(() -> {
            messages.insert(new Message(0, id, "/r", from, Message.Origin.PEER, to, "answer", null, requestId, null, false, wake,
                    clock.instant(), null, null, null, null, null));
            messages.markAskAnswered(requestId, id, clock.instant());
        });
        return id;
    }

    private void tx(Runnable r) {
        db.inTransaction(r);
    }

    /** The message's own wake, as Messaging asks for it after the commit; waits for the route's outcome. */
    private void wake(String messageId, String to) {
        Agent a = agents.find(to).orElseThrow();
        WakeService.Outcome o = service.afterCommit(messageId, a, WakeRequest.operator(WakeTarget.of(a, false), null));
        assertThat(o.status()).isEqualTo("will_fire");
        awaitRoute(messageId, 1);
    }

    /** A message's own wake, as Messaging asks for it; returns the decision (a refusal has no route to wait for). */
    private WakeService.Outcome ownWake(String messageId, String to) {
        Agent a = agents.find(to).orElseThrow();
        return service.afterCommit(messageId, a, WakeRequest.operator(WakeTarget.of(a, false), null));
    }

    /** {@code n} earlier wakes of the target, 1 s apart from {@code from}: decision rows with no message, as history. */
    private void pastWakes(String target, int n, Instant from) {
        for (int i = 0; i < n; i++) {
            wakes.record(new WakeRecord(0, null, target, null, "codex", null, "will_fire", "earlier", 1, from.plusSeconds(i), null, "operator"));
        }
    }

    /** Waits until the route of the given attempt recorded its outcome (routes run on their own thread). */
    private void awaitRoute(String messageId, int attempt) {
        await().atMost(Duration.ofSeconds(5)).until(() -> wakes.forMessage(messageId).stream()
                .anyMatch(r -> r.attempt() == attempt && r.route() != null && !r.status().equals("confirmed") && !r.status().equals("gave_up")));
    }

    private static WakeRecord row(String status, String route, int attempt, long atS, String kind) {
        return new WakeRecord(0, "m1", "bob", null, "codex", route, status, "why", attempt, T0.plusSeconds(atS), null, kind);
    }
}
