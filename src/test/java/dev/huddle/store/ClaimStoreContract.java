package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.claims.PathClaim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ClaimStore} does, whichever database holds it. */
public abstract class ClaimStoreContract {
    protected Stores stores;
    ClaimStore claims;
    AgentStore agents;
    final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    /** The stores on a fresh, empty database. */
    protected abstract Stores open();

    @BeforeEach
    void openStores() {
        stores = open();
        claims = stores.claims();
        agents = stores.agents();
        agents.save(Agent.create("bob", "bob", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(2, 1), t0));
        agents.save(Agent.create("p-1", null, BindingSource.UNBOUND, ClientType.CODEX, "/r", "/r", new AgentProcess(3, 1), t0));
        agents.save(Agent.create("carol", "carol", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(4, 1), t0));
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    private PathClaim claim(String holder, String pattern, ClaimMode mode, long sinceS, long expiresS) {
        return new PathClaim("/r", holder, pattern, mode, "why", t0.plusSeconds(sinceS), t0.plusSeconds(expiresS));
    }

    @Test
    void putListsActiveAndRenewalKeepsSince() {
        claims.put(List.of(claim("bob", "src/a", ClaimMode.EXCLUSIVE, 0, 600), claim("carol", "docs/**", ClaimMode.SHARED, 5, 60)));
        assertThat(claims.active("/r", t0.plusSeconds(10))).extracting(PathClaim::pattern).containsExactly("src/a", "docs/**");
        assertThat(claims.active("/r", t0.plusSeconds(60))).extracting(PathClaim::pattern).containsExactly("src/a");
        assertThat(claims.active("/other", t0)).isEmpty();

        claims.put(List.of(claim("bob", "src/a", ClaimMode.SHARED, 100, 900))); // renewal while active
        PathClaim renewed = claims.active("/r", t0.plusSeconds(700)).getFirst();
        assertThat(renewed.since()).isEqualTo(t0);
        assertThat(renewed.expires()).isEqualTo(t0.plusSeconds(900));
        assertThat(renewed.mode()).isEqualTo(ClaimMode.SHARED);

        claims.put(List.of(claim("carol", "docs/**", ClaimMode.SHARED, 1000, 2000))); // after it lapsed: a new claim
        assertThat(claims.active("/r", t0.plusSeconds(1000)).stream().filter(c -> c.holderId().equals("carol")).findFirst()
                .orElseThrow().since()).isEqualTo(t0.plusSeconds(1000));
    }

    @Test
    void releaseSomeAllAndByHolderAndPurge() {
        claims.put(List.of(claim("bob", "a", ClaimMode.EXCLUSIVE, 0, 600), claim("bob", "b", ClaimMode.EXCLUSIVE, 0, 600),
                claim("bob", "c", ClaimMode.EXCLUSIVE, 0, 600), claim("carol", "a", ClaimMode.SHARED, 0, 30)));
        assertThat(claims.release("/r", "bob", List.of("a", "zzz"))).containsExactly("a");
        assertThat(claims.release("/r", "bob", null)).containsExactlyInAnyOrder("b", "c");
        assertThat(claims.active("/r", t0)).extracting(PathClaim::holderId).containsExactly("carol");
        assertThat(claims.purgeExpired(t0.plusSeconds(30))).isEqualTo(1);
        claims.put(List.of(claim("p-1", "x", ClaimMode.EXCLUSIVE, 0, 600), claim("p-1", "y", ClaimMode.EXCLUSIVE, 0, 600)));
        assertThat(claims.releaseAll("p-1")).isEqualTo(2);
    }

    @Test
    void claimsFollowTheirHolderThroughARenameAndAMerge() {
        claims.put(List.of(claim("p-1", "x", ClaimMode.EXCLUSIVE, 0, 600), claim("bob", "x", ClaimMode.EXCLUSIVE, 0, 300)));
        agents.mergeInto("p-1", "bob");
        List<PathClaim> after = claims.active("/r", t0);
        assertThat(after).hasSize(1);
        assertThat(after.getFirst().holderId()).isEqualTo("bob");
        agents.rename("bob", "bob-2");
        assertThat(claims.active("/r", t0)).extracting(PathClaim::holderId).containsExactly("bob-2");
    }

    @Test
    void anImplicitClaimNeverReplacesAnExplicitOneAndEditsRenewExplicitClaimsByTheirOwnTtl() {
        claims.put(List.of(claim("bob", "src/a", ClaimMode.SHARED, 0, 600))); // explicit, ttl 600 s
        PathClaim edit = new PathClaim("/r", "bob", "src/a", ClaimMode.EXCLUSIVE, "being edited (Edit)", t0.plusSeconds(10),
                t0.plusSeconds(310), true, 300);
        claims.put(List.of(edit));
        PathClaim kept = claims.active("/r", t0.plusSeconds(20)).getFirst();
        assertThat(kept.implicit()).isFalse();
        assertThat(kept.mode()).isEqualTo(ClaimMode.SHARED);
        assertThat(kept.ttlS()).isEqualTo(600);

        assertThat(claims.renew("/r", "bob", List.of("src/a", "nope"), t0.plusSeconds(100))).isEqualTo(1);
        assertThat(claims.active("/r", t0.plusSeconds(650)).getFirst().expires()).isEqualTo(t0.plusSeconds(700));
        assertThat(claims.renew("/r", "bob", List.of("src/a"), t0.plusSeconds(50))).as("never shortens").isEqualTo(1);
        assertThat(claims.active("/r", t0.plusSeconds(650)).getFirst().expires()).isEqualTo(t0.plusSeconds(700));

        claims.put(List.of(new PathClaim("/r", "carol", "src/b", ClaimMode.EXCLUSIVE, "being edited (Write)", t0, t0.plusSeconds(300), true, 300)));
        claims.put(List.of(new PathClaim("/r", "carol", "src/b", ClaimMode.EXCLUSIVE, "being edited (Write)", t0.plusSeconds(60),
                t0.plusSeconds(360), true, 300)));
        PathClaim b = claims.active("/r", t0.plusSeconds(100)).stream().filter(c -> c.pattern().equals("src/b")).findFirst().orElseThrow();
        assertThat(b.implicit()).isTrue();
        assertThat(b.since()).as("a further edit keeps since").isEqualTo(t0);
        assertThat(b.lastEditAt()).isEqualTo(t0.plusSeconds(60));
        assertThat(claims.renew("/r", "carol", List.of("src/b"), t0.plusSeconds(100))).as("implicit claims are not renewed by ttl").isZero();
        claims.put(List.of(claim("carol", "src/b", ClaimMode.EXCLUSIVE, 120, 1920))); // claiming it makes it explicit
        PathClaim explicit = claims.active("/r", t0.plusSeconds(200)).stream().filter(c -> c.pattern().equals("src/b")).findFirst().orElseThrow();
        assertThat(explicit.implicit()).isFalse();
        assertThat(explicit.ttlS()).isEqualTo(1800);
    }
}
