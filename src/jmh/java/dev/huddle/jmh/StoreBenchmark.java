package dev.huddle.jmh;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.Handles;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store side of {@code list_project_sessions}: one project's agents read from the hub's SQLite database
 * (WAL, on a real file), plus the per-call lookups a tool call makes first (agent by process, agent by id).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {
    @Param({"50"})
    int agents;

    private Path dir;
    private SqliteDatabase db;
    private SqliteAgentStore store;
    private final String project = "/work/bench-project";
    private AgentProcess someProcess;
    private String someId;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("huddle-jmh-");
        db = SqliteDatabase.open(dir.resolve("huddle.db"));
        store = new SqliteAgentStore(db);
        Instant now = Instant.now();
        db.inTransaction(() -> {
            for (int i = 0; i < agents; i++) {
                AgentProcess p = new AgentProcess(4_000_000L + i, now.toEpochMilli() - 3_600_000 + i);
                String id = Handles.provisionalId(p);
                Agent a = Agent.create(id, null, BindingSource.UNBOUND, ClientType.CLAUDE_CODE, project,
                        project + "/sub" + (i % 7), p, now);
                store.save(a);
                store.linkProcess(p, id, now);
                if (i == agents / 2) {
                    someProcess = p;
                    someId = id;
                }
            }
            // another project's agents, so the query has something to skip
            for (int i = 0; i < agents; i++) {
                AgentProcess p = new AgentProcess(4_100_000L + i, now.toEpochMilli() - 3_600_000 + i);
                store.save(Agent.create(Handles.provisionalId(p), null, BindingSource.UNBOUND, ClientType.CODEX,
                        "/work/other", "/work/other", p, now));
            }
            return null;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        dev.huddle.tools.aot.ChildJava.deleteTree(dir);
    }

    @Benchmark
    public List<Agent> listProject() {
        return store.listProject(project, false);
    }

    @Benchmark
    public Object agentIdForProcessThenFind() {
        return store.agentIdForProcess(someProcess).flatMap(store::find).orElseThrow();
    }

    @Benchmark
    public Object findById() {
        return store.find(someId).orElseThrow();
    }
}
