package dev.huddle.hub.cockpit;

import dev.huddle.hub.HubConfig;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.messaging.Asking;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Draft;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.Wakes;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.FeedItem;
import dev.huddle.protocol.cockpit.LastTool;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.json.Json;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteClaimStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cockpit's snapshot from real stores, and the feed that pushes it after each change (and only then). */
class CockpitTest {
    private static final String A = "aaaaaaaa-1111-4111-8111-111111111111";
    private static final String B = "bbbbbbbb-2222-4222-8222-222222222222";
    private static final String C = "cccccccc-3333-4333-8333-333333333333";
    private static final LastTool EDIT = new LastTool("Edit", "src/Parser.java", null, null);

    @TempDir
    Path tmp;
    private SqliteDatabase db;
    private SqliteAgentStore agents;
    private Messaging messaging;
    private SqliteClaimStore claims;
    private CockpitFeed feed;
    private ChangeSignal changes;
    private final CockpitClock cockpitClock = new CockpitClock();
    private String project;
    private Agent a;
    private Agent b;
    private Agent c;

    @BeforeEach
    void wire() throws IOException {
        project = dev.huddle.it.support.TestHome.markRepository(Files.createDirectories(tmp.resolve("repo"))).toRealPath().toString();
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        agents = new SqliteAgentStore(db);
        SqliteMessageStore messages = new SqliteMessageStore(db);
        Clock clock = Clock.systemUTC();
        ProcessInspector processes = new ProcessInspector();
        AgentRegistry registry = new AgentRegistry(agents, db, processes, new TerminalLocator(processes),
                new ProjectLocator(new NioFileProbe()), clock, dev.huddle.agents.AgentClients.installed(),
                java.time.Duration.ofHours(24), new dev.huddle.hub.identity.OfflineListeners());
        claims = new SqliteClaimStore(db);
        changes = new ChangeSignal();
        db.onChange(t -> changes.committed());
        messaging = Messaging.create(agents, messages, new SqliteWakeStore(db), db, new Deliveries(messages, db, clock), Wakes.NONE, changes,
                new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), clock);
        Instant now = Instant.now();
        a = save(Agent.create(A, A, BindingSource.ENV, ClientType.CLAUDE_CODE, project, project, new AgentProcess(11, 1), now)
                .withState("refactor the parser", "alice", now).withActivity(Activity.BUSY, now));
        b = save(Agent.create(B, B, BindingSource.ENV, ClientType.CODEX, project, project, new AgentProcess(12, 1), now)
                .withActivity(Activity.IDLE, now));
        c = save(Agent.create(C, C, BindingSource.ENV, ClientType.GEMINI, project, project, new AgentProcess(13, 1), now).wentOffline(now));
        Cockpit cockpit = new Cockpit(registry, messaging.history(), claims,
                agent -> agent.agentId().equals(A) ? EDIT : null, new RewakeWaiters(), cockpitClock);
        feed = new CockpitFeed(cockpit, changes);
    }

    private Agent save(Agent agent) {
        agents.save(agent);
        return agent;
    }

    @AfterEach
    void close() {
        cockpitClock.releaseAll();
        feed.close();
        db.close();
    }

    private static ProjectStatus onlyProject(CockpitSnapshot snapshot) {
        return snapshot.projects().getFirst();
    }

    private static AgentStatus agentRow(ProjectStatus project, String handle) {
        return project.agents().stream().filter(r -> handle.equals(r.handle())).findFirst().orElseThrow();
    }

    @Test
    void aSnapshotShowsAgentsWaitsCyclesStrandedMailClaimsAndTheFeed() {
        messaging.sending().send(a, B, Draft.of("please look at the lexer", null, null, null, false));
        messaging.sending().send(b, A, Draft.of("fix the failing test first", null, null, null, true)); // b waits for a
        messaging.sending().send(a, C, Draft.of("are you there?", null, null, null, false)); // c is offline: stranded
        messaging.asking().ask(a, B, "which branch?", 1L, null); // times out at once; stays pending: a waits for b
        Instant now = Instant.now();
        claims.put(List.of(new PathClaim(project, A, "src/**", ClaimMode.EXCLUSIVE, "parser rewrite", now, now.plusSeconds(600))));

        CockpitSnapshot snap = feed.snapshot(project, Duration.ofMinutes(30));
        assertThat(snap.v()).isEqualTo(1);
        assertThat(snap.projectRoot()).isEqualTo(project);
        assertThat(snap.healthy()).isFalse();
        assertThat(snap.problems()).containsExactly("deadlock", "stranded_mail");
        ProjectStatus p = onlyProject(snap);
        AgentStatus alice = agentRow(p, "aaaaaaaa");
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.purpose()).isEqualTo("refactor the parser");
        assertThat(alice.clientType()).isEqualTo("claude-code");
        assertThat(alice.onCycle()).isTrue();
        assertThat(alice.openAsks()).isEqualTo(1);
        assertThat(alice.openObligations()).isEqualTo(1);
        assertThat(alice.claims()).isEqualTo(1);
        assertThat(alice.unread()).isEqualTo(1);
        assertThat(alice.lastTool()).isEqualTo(EDIT);
        assertThat(alice.activitySince()).isNotNull();
        assertThat(alice.activity().state()).isEqualTo("busy");
        assertThat(alice.activity().ageS()).isNull();
        AgentStatus carol = agentRow(p, "cccccccc");
        assertThat(carol.online()).isFalse();
        assertThat(carol.offlineSince()).isNotNull();
        assertThat(carol.lastTool()).isNull();
        assertThat(p.cycles()).hasSize(1);
        assertThat(p.stranded()).singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(1));
        assertThat(p.claims()).singleElement().satisfies(cl -> {
            assertThat(cl.pattern()).isEqualTo("src/**");
            assertThat(cl.mode()).isEqualTo("exclusive");
            assertThat(cl.holder()).isEqualTo("alice (aaaaaaaa)");
        });
        List<FeedItem> rows = p.feed();
        assertThat(rows).extracting(FeedItem::kind).containsExactly("message", "work", "message", "ask");
        assertThat(rows.get(1).obligation()).isEqualTo("open");
        assertThat(rows.get(1).from()).isEqualTo("bbbbbbbb");
        assertThat(rows.get(1).to()).isEqualTo("alice (aaaaaaaa)");
        assertThat(Json.write(snap)).doesNotContain("age_s");
    }

    @Test
    void theFeedIsCappedAndBodiesCut() {
        String longBody = "x".repeat(Cockpit.FEED_BODY_CHARS + 50);
        for (int i = 0; i < Cockpit.FEED_LIMIT + 5; i++) messaging.sending().send(a, B, Draft.of(i == Cockpit.FEED_LIMIT + 4 ? longBody : "m" + i, null, null, null, false));
        List<FeedItem> rows = onlyProject(feed.snapshot(project, Duration.ofMinutes(30))).feed();
        assertThat(rows).hasSize(Cockpit.FEED_LIMIT);
        assertThat(rows.getFirst().body()).isEqualTo("m5");
        assertThat(rows.getLast().body()).hasSize(Cockpit.FEED_BODY_CHARS + 1).endsWith("…");
    }

    @Test
    void snapshotsOfAnUnchangedHubHaveTheSameContent() {
        CockpitSnapshot one = feed.snapshot(project, Duration.ofMinutes(30));
        cockpitClock.advance(Duration.ofMillis(1100)); // ages would have moved on: they are not in the snapshot
        changes.committed(); // a new generation: built again, not the snapshot the feed keeps for the last one
        CockpitSnapshot two = feed.snapshot(project, Duration.ofMinutes(30));
        assertThat(one.sameContent(two)).isTrue();
        messaging.sending().send(a, B, Draft.of("news", null, null, null, false));
        assertThat(two.sameContent(feed.snapshot(project, Duration.ofMinutes(30)))).isFalse();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theStreamPushesAfterEachVisibleChangeOnlyAndEndsWhenClosed() throws Exception {
        List<String> pushed = new CopyOnWriteArrayList<>();
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                feed.stream(project, Duration.ofMinutes(30), null, new CockpitFeed.Sink() {
                    @Override
                    public void snapshot(CockpitSnapshot s) {
                        pushed.add(Json.write(s));
                    }

                    @Override
                    public void heartbeat() {
                    }
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> pushed.size() == 1); // the first, at once
        long t0 = System.nanoTime();
        messaging.sending().send(a, B, Draft.of("the build is green", null, null, null, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> pushed.size() == 2);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("commit to push, ms").isLessThan(2_000);
        assertThat(pushed.get(1)).contains("the build is green");
        assertThat(feed.watchers()).isEqualTo(1);

        db.query(ch -> ch.createStatement().executeUpdate("CREATE TABLE IF NOT EXISTS scratch (k)"));
        db.query(ch -> ch.createStatement().executeUpdate("INSERT INTO scratch VALUES (1)")); // a commit the cockpit does not show
        // The feed's one thread builds, decides and waits, in turn; a build reads the database after its start. Held at
        // the start of a build that began after another invisible commit, then at the start of the build after it, the
        // feed has decided on a state with every invisible change in between: what it pushed by then is final.
        cockpitClock.holdBuilds();
        db.query(ch -> ch.createStatement().executeUpdate("INSERT INTO scratch VALUES (2)"));
        cockpitClock.awaitHeldBuild();
        cockpitClock.releaseOne();
        db.query(ch -> ch.createStatement().executeUpdate("INSERT INTO scratch VALUES (3)"));
        cockpitClock.awaitHeldBuild();
        assertThat(pushed).as("an invisible change pushes nothing").hasSize(2);
        // a visible change while that build waits at its start: it reads the whole change, and pushes it, once
        messaging.sending().send(a, B, Draft.of("after the invisible ones", null, null, null, false));
        cockpitClock.releaseAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> pushed.size() >= 3);
        assertThat(pushed).as("the next push is the next visible change").hasSize(3);
        assertThat(pushed.get(2)).contains("after the invisible ones");

        feed.close();
        watcher.join(5_000);
        assertThat(watcher.isAlive()).isFalse();
        assertThat(feed.watchers()).isZero();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aWatcherThatGoesAwayEndsItsStream() throws Exception {
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                feed.stream(project, Duration.ofMinutes(30), null, new CockpitFeed.Sink() {
                    @Override
                    public void snapshot(CockpitSnapshot s) throws IOException {
                        if (Json.write(s).contains("bye")) throw new IOException("broken pipe");
                    }

                    @Override
                    public void heartbeat() {
                    }
                });
            } catch (IOException expected) {
                // the write failed: the stream ends
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.watchers() == 1);
        messaging.sending().send(a, B, Draft.of("bye", null, null, null, false));
        watcher.join(5_000);
        assertThat(watcher.isAlive()).isFalse();
        assertThat(feed.watchers()).isZero();
    }

    /**
     * The cockpit's clock, which every build reads first, before it reads the database: a test advances it instead of
     * sleeping, and can hold builds at their start to see where the feed's thread is.
     */
    private static final class CockpitClock extends Clock {
        private final Semaphore arrivals = new Semaphore(0);
        private final Semaphore passes = new Semaphore(0);
        private volatile boolean holding;
        private volatile Duration ahead = Duration.ZERO;

        void advance(Duration d) {
            ahead = ahead.plus(d);
        }

        /** From now on a build stops at its start until let through. */
        void holdBuilds() {
            holding = true;
        }

        /** Waits until a build stands held at its start. */
        void awaitHeldBuild() throws InterruptedException {
            assertThat(arrivals.tryAcquire(5, TimeUnit.SECONDS)).as("a build started").isTrue();
        }

        void releaseOne() {
            passes.release();
        }

        /** Builds run freely again; any held one goes on. */
        void releaseAll() {
            holding = false;
            passes.release(1_000);
        }

        @Override
        public Instant instant() {
            if (holding) {
                arrivals.release();
                passes.acquireUninterruptibly();
            }
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
