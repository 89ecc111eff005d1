package dev.huddle.hub.messaging;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.hub.HubConfig;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.store.sqlite.SqliteMessageStore;
import dev.huddle.store.sqlite.SqliteWakeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reply another machine's hub committed is handed to the ask_peer waiting here, or to a read of the asker, never
 * both: the read that runs while {@link RemoteReplies} looks the reply up is the race that gave it out twice.
 */
class RemoteRepliesTest {
    @TempDir
    Path tmp;
    SqliteDatabase db;
    SqliteMessageStore store;
    Deliveries deliveries;
    Messaging messaging;
    Agent alice;

    @BeforeEach
    void setUp() {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        SqliteAgentStore agents = new SqliteAgentStore(db);
        store = new SqliteMessageStore(db);
        deliveries = new Deliveries(store, db, Clock.systemUTC());
        messaging = Messaging.create(agents, store, new SqliteWakeStore(db), db, deliveries, Wakes.NONE, new ChangeSignal(),
                new Asking.Timeouts(HubConfig.DEFAULTS.askTimeout(), HubConfig.DEFAULTS.askMaxTimeout()), Clock.systemUTC());
        Instant now = Instant.now();
        alice = Agent.create("alice-session", "alice-session", BindingSource.ENV, ClientType.CLAUDE_CODE, "/r", "/r", new AgentProcess(1, 1), now);
        agents.save(alice);
        agents.save(Agent.create("bob-session", "bob-session", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(2, 1), now));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aReadOfTheAskerWhileTheReplyIsLookedUpNeverHandsItOutToo() throws Exception {
        AskWaiters.Waiter waiter = messaging.askWaiters().register("req-1", "alice-session", "bob-session");
        // bob's reply, committed by the other machine's hub
        db.inTransaction(() -> store.insert(new Message(0, "reply-1", "/r", "bob-session", Message.Origin.PEER, "alice-session", "42",
                null, "req-1", null, false, null, Instant.now(), null, null, null, null, null)));
        AtomicReference<CompletableFuture<Integer>> read = new AtomicReference<>();
        MessageStore racing = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("replyFrom") && read.get() == null) {
                        // alice's read_my_messages runs now, between the lookup and the hand-over, and its response is written
                        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
                            Deliveries.RequestRef req = new Deliveries.RequestRef(1, 1L);
                            Views.ReadResult got = messaging.inbox().read(alice, req);
                            deliveries.responseWritten(req);
                            return got.count();
                        });
                        read.set(r);
                        try {
                            r.get(300, TimeUnit.MILLISECONDS); // completes here only when the read does not wait for the lookup
                        } catch (TimeoutException waitsForTheLookup) {
                            // as it should: the read takes the asker's lock the lookup holds
                        }
                    }
                    return result;
                });
        ChangeSignal changes = new ChangeSignal();
        try (RemoteReplies replies = new RemoteReplies(messaging, racing, deliveries, changes).start()) {
            // the other hub's notification (again until the thread, started just now, has seen one)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> {
                        changes.committed();
                        return waiter.reply().isDone();
                    });
            Message handed = waiter.reply().get(10, TimeUnit.SECONDS);
            assertThat(handed.id()).isEqualTo("reply-1");
            assertThat(read.get().get(10, TimeUnit.SECONDS)).as("the read got nothing: the ask has the reply").isZero();
        }
        assertThat(deliveries.reservedFor("alice-session")).containsExactly("reply-1"); // the ask's answer offers it
        assertThat(List.of(messaging.inbox().read(alice, new Deliveries.RequestRef(1, 2L)).count())).containsExactly(0);
    }
}
