package dev.huddle.hub;

import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.NioRealPaths;
import dev.huddle.hub.hooks.HookService;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.reading.TranscriptTrust;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.hub.messaging.Asking;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Draft;
import dev.huddle.hub.messaging.Messaging;
import dev.huddle.hub.messaging.Sending;
import dev.huddle.hub.wake.RewakeWaiters;
import dev.huddle.hub.wake.WakeListeners;
import dev.huddle.hub.wake.WakeService;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.AgentStore;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message committed while its recipient's turn ends (the Codex Stop hook finds no mail and marks it idle) must
 * either ride that Stop hook's answer or be decided on the idle agent: a decision on the earlier "busy" would leave
 * an idle recipient with mail and no wake (found by the wake soak's code reading, docs/BENCHMARKS.md). Both
 * interleavings are forced: the Stop hook between the send's resolve and its commit, and the send's commit and
 * decision inside the Stop hook, between its look for mail and its idle mark.
 */
class TurnEndWakeRaceTest {
    private static final String SENDER = "0a0a0a0a-1111-4111-8111-111111111111";
    private static final String RECIPIENT = "0b0b0b0b-2222-4222-8222-222222222222";

    @TempDir
    Path tmp;
    private SqliteDatabase db;
    private SqliteAgentStore agents;
    private HookService hooks;
    private Sending sending;
    private Path project;
    /** Runs once right after the send's resolve read the recipient. */
    private final AtomicReference<Runnable> afterResolve = new AtomicReference<>();
    /** Runs once right after a hook's look for undelivered mail. */
    private final AtomicReference<Runnable> afterLookForMail = new AtomicReference<>();

    @BeforeEach
    void wire() throws Exception {
        project = dev.huddle.it.support.TestHome.markRepository(Files.createDirectories(tmp.resolve("repo"))).toRealPath();
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        agents = new SqliteAgentStore(db);
        SqliteMessageStore messages = new SqliteMessageStore(db);
        Clock clock = Clock.systemUTC();
        ProcessInspector processes = new ProcessInspector();
        AgentClients clients = AgentClients.installed();
        AgentRegistry registry = new AgentRegistry(agents, db, processes, new TerminalLocator(processes),
                new ProjectLocator(new NioFileProbe()), clock, clients, Duration.ofHours(24), new OfflineListeners());
        Deliveries deliveries = new Deliveries(messages, db, clock);
        RewakeWaiters rewake = new RewakeWaiters();
        SqliteWakeStore wakes = new SqliteWakeStore(db);
        WakeService wakeService = new WakeService(clients, registry, wakes, db, rewake,
                (target, text) -> new WakeAttempt(WakeStatus.FIRED, "tmux", "%1", "test", 1, 0, 1, Map.of()),
                WakeSettings.DEFAULTS, true, clock, new WakeListeners());
        Messaging messaging = Messaging.create(intercept(AgentStore.class, agents, "findBySessionId", afterResolve),
                intercept(MessageStore.class, messages, "undelivered", afterLookForMail), wakes, db, deliveries,
                HubServices.wakesThrough(wakeService), new ChangeSignal(),
                new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), clock);
        sending = messaging.sending();
        hooks = new HookService(clients, registry, new Claims(registry, new dev.huddle.store.sqlite.SqliteClaimStore(db),
                new dev.huddle.core.claims.ClaimPaths(new NioRealPaths()), clock), messaging.inbox(), deliveries, rewake,
                HookService.REWAKE_HOLD_MS, new TranscriptTrust(registry, agents, Map.of()));
        hook(SENDER, "SessionStart", "\"source\":\"startup\"");
        hook(RECIPIENT, "SessionStart", "\"source\":\"startup\"");
        hook(RECIPIENT, "UserPromptSubmit", "\"prompt\":\"fix the parser\""); // the recipient works
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    @Timeout(30)
    void aStopHookBetweenTheSendsResolveAndItsCommit() {
        AtomicReference<String> stop = new AtomicReference<>();
        afterResolve.set(() -> stop.set(hook(RECIPIENT, "Stop", "\"stop_hook_active\":false")));

        Views.SendResult sent = send();

        assertThat(stop.get()).as("the Stop hook ran before the commit: no mail, so idle").isEqualTo("{}");
        assertThat(activity()).isEqualTo(Activity.IDLE);
        assertThat(sent.wakeStatus()).as("decided on the idle recipient: %s", sent.wakeReason()).isEqualTo("will_fire");
    }

    @Test
    @Timeout(30)
    void aSendCommittedInsideTheStopHookBeforeItsIdleMark() throws Exception {
        CompletableFuture<Views.SendResult> sending = new CompletableFuture<>();
        afterLookForMail.set(() -> {
            Thread.ofPlatform().start(() -> {
                try {
                    sending.complete(send());
                } catch (Throwable t) {
                    sending.completeExceptionally(t);
                }
            });
            try {
                sending.get(1, TimeUnit.SECONDS); // without a shared lock the send is decided here, on the busy recipient
            } catch (TimeoutException held) {
                // it waits for the Stop hook to finish: decided afterwards
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        String stop = hook(RECIPIENT, "Stop", "\"stop_hook_active\":false");
        Views.SendResult sent = sending.get(10, TimeUnit.SECONDS);

        assertThat(stop).as("the Stop hook looked before the commit: no mail, so idle").isEqualTo("{}");
        assertThat(activity()).isEqualTo(Activity.IDLE);
        assertThat(sent.wakeStatus()).as("decided on the idle recipient: %s", sent.wakeReason()).isEqualTo("will_fire");
    }

    private Views.SendResult send() {
        Agent me = agents.findBySessionId(SENDER).orElseThrow();
        return sending.send(me, RECIPIENT, Draft.of("is the build green?", "auto", null, null, false));
    }

    private Activity activity() {
        return agents.findBySessionId(RECIPIENT).orElseThrow().activity();
    }

    /** A Codex hook as the hub receives it; returns what the hook would print. */
    private String hook(String session, String event, String extra) {
        String body = "{\"session_id\":\"" + session + "\",\"cwd\":\"" + project + "\",\"hook_event_name\":\"" + event
                + "\",\"model\":\"gpt-5-codex\",\"turn_id\":\"t1\"," + extra + "}";
        return hooks.handle("codex", event, body.getBytes(StandardCharsets.UTF_8), Caller.unproven("in-process", true), -1, System.nanoTime()).body();
    }

    /** {@code real}, with {@code hook} run once (when set) right after each call of {@code method} returns. */
    @SuppressWarnings("unchecked")
    private static <T> T intercept(Class<T> type, T real, String method, AtomicReference<Runnable> hook) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            Object r;
            try {
                r = m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (m.getName().equals(method)) {
                Runnable h = hook.getAndSet(null);
                if (h != null) h.run();
            }
            return r;
        });
    }
}
