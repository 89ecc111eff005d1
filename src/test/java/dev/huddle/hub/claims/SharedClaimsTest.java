package dev.huddle.hub.claims;

import dev.huddle.agents.AgentClients;
import dev.huddle.core.HuddleError;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.hub.identity.OfflineListeners;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteClaimStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import dev.huddle.terminal.ProcessInspector;
import dev.huddle.terminal.TerminalLocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Claims as a hub sees them on a store shared with other machines' hubs: rows another hub writes behind this one's
 * back (put straight into the store here) count at once for a claim, and for an edit check from the next commit
 * notification (the change count), though the clock stands still and the cached index is younger than its second.
 */
class SharedClaimsTest {
    private static final String PROJECT = "github.com/acme/payments";

    @TempDir
    Path tmp;
    SqliteDatabase db;
    SqliteClaimStore store;
    AgentRegistry registry;
    final AtomicLong generation = new AtomicLong();
    final Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    Agent alice;
    Agent bob;

    @BeforeEach
    void setUp() throws Exception {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        store = new SqliteClaimStore(db);
        SqliteAgentStore agents = new SqliteAgentStore(db);
        ProcessInspector procs = new ProcessInspector();
        registry = new AgentRegistry(agents, db, procs, new TerminalLocator(procs), new ProjectLocator(new NioFileProbe()), true,
                clock, AgentClients.installed(), Duration.ofHours(24), new OfflineListeners());
        Path laptop = Files.createDirectories(tmp.resolve("laptop/payments/src"));
        Path devbox = Files.createDirectories(tmp.resolve("devbox/pay"));
        alice = Agent.create("alice", "alice", BindingSource.HOOK, ClientType.CLAUDE_CODE, PROJECT, laptop.toString(), null, clock.instant());
        bob = Agent.create("bob", "bob", BindingSource.HOOK, ClientType.CLAUDE_CODE, PROJECT, devbox.toString(), null, clock.instant());
        db.inTransaction(() -> {
            agents.save(alice);
            agents.save(bob);
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Claims claims() {
        return new Claims(registry, store, new ClaimPaths(p -> p), p -> p, clock, Claims.DEFAULT_EDIT_WINDOW, db, generation::get);
    }

    /** Alice's claim, as another machine's hub commits it. */
    private void aliceClaimsElsewhere() {
        Instant now = clock.instant();
        store.put(List.of(new PathClaim(PROJECT, "alice", "src/x.java", ClaimMode.EXCLUSIVE, "rewriting X", now, now.plus(Duration.ofMinutes(30)))));
    }

    @Test
    void anEditCheckSeesAnotherHubsClaimAtTheNextCommitNotification() {
        Claims claims = claims();
        List<EditTarget> x = List.of(new EditTarget("src/x.java", null));
        assertThat(claims.checkEdit(PROJECT, "bob", x).free()).isTrue();
        aliceClaimsElsewhere();
        assertThat(claims.checkEdit(PROJECT, "bob", x).free()).as("no notification yet: the index this hub read").isTrue();
        generation.incrementAndGet(); // the commit's notification arrives
        assertThat(claims.checkEdit(PROJECT, "bob", x).blocked()).containsOnlyKeys("src/x.java");
    }

    @Test
    void aClaimIsDecidedOnTheRowsAsTheyAreNotOnTheCachedIndex() {
        Claims claims = claims();
        assertThat(claims.checkEdit(PROJECT, "bob", List.of(new EditTarget("src/x.java", null))).free()).isTrue(); // index cached
        aliceClaimsElsewhere();
        assertThatThrownBy(() -> claims.claim(bob, List.of("src/x.java"), null, null, null))
                .isInstanceOfSatisfying(HuddleError.class, e -> assertThat(e.code()).isEqualTo("paths-claimed"));
        assertThat(store.active(PROJECT, clock.instant())).extracting(PathClaim::holderId).containsExactly("alice");
    }
}
