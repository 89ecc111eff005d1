package dev.huddle.hub.identity;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.protocol.Hello;
import dev.huddle.store.Transactor;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tool call that changes nothing about its caller (bound already, stamped within the interval) is answered from a
 * plain read: on a shared store a transaction takes the lock every hub's writes share, and costs round trips.
 */
class ToolCallTransactionsTest {
    @TempDir
    Path dir;

    private Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private final AtomicInteger transactions = new AtomicInteger();

    @Test
    void onlyACallThatBindsOrStampsTakesATransaction() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("h.db"))) {
            Transactor counting = new Transactor() {
                @Override
                public <T> T inTransaction(Supplier<T> work) {
                    transactions.incrementAndGet();
                    return db.inTransaction(work);
                }
            };
            Clock clock = new Clock() {
                @Override
                public Instant instant() {
                    return now;
                }

                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }
            };
            ProcessInspector procs = new ProcessInspector();
            AgentRegistry registry = new AgentRegistry(new SqliteAgentStore(db), counting, procs, new TerminalLocator(procs),
                    new ProjectLocator(new NioFileProbe()), clock, AgentClients.installed(), Duration.ofHours(24), new OfflineListeners());
            FrontConnection conn = registry.attach(Hello.parse("{\"huddle\":1,\"kind\":\"mcp\",\"pid\":1,\"cwd\":\"" + dir + "\"}"),
                    Caller.unproven("test", true));

            int before = transactions.get();
            Agent first = registry.onToolCall(conn, Map.of());
            assertThat(transactions.get()).as("the first call stamps its agent").isEqualTo(before + 1);
            assertThat(first.lastToolCallAt()).isEqualTo(now);

            now = now.plusSeconds(2);
            Agent second = registry.onToolCall(conn, Map.of());
            assertThat(transactions.get()).as("stamped 2 s ago: a read").isEqualTo(before + 1);
            assertThat(second.agentId()).isEqualTo(first.agentId());

            now = now.plusSeconds(6);
            assertThat(registry.onToolCall(conn, Map.of()).lastToolCallAt()).isEqualTo(now);
            assertThat(transactions.get()).as("the stamp is due again").isEqualTo(before + 2);

            // a call naming its session (Codex's thread id) binds, in a transaction; once bound, the same session reads
            String thread = UUID.randomUUID().toString();
            Agent bound = registry.onToolCall(conn, Map.of("threadId", thread));
            assertThat(bound.sessionId()).isEqualTo(thread);
            assertThat(transactions.get()).isEqualTo(before + 3);
            now = now.plusSeconds(1);
            assertThat(registry.onToolCall(conn, Map.of("threadId", thread)).sessionId()).isEqualTo(thread);
            assertThat(transactions.get()).as("bound to that session already: a read").isEqualTo(before + 3);
        }
    }
}
