package dev.huddle.core.identity;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handles ({@link Handles#handle}) are stable and tell sessions apart for every client's id scheme: Claude Code's and
 * Gemini CLI's UUIDv4 session ids, Codex's UUIDv7 thread ids (whose first 8 hex digits are a timestamp shared by the
 * sessions started within about 65 s), huddle's provisional ids; and a handle resolves to its agent.
 */
class HandlesProperties {
    private static final Instant T = Instant.parse("2026-12-07T06:46:00Z");

    /** A UUIDv7 as Codex makes them: 48 bits of Unix milliseconds, version 7, 12 bits, variant, 62 random bits. */
    static String uuidV7(long unixMillis, long randA, long randB) {
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (randA & 0xFFFL);
        long lsb = 0x8000_0000_0000_0000L | (randB & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(msb, lsb).toString();
    }

    /**
     * Codex thread ids of sessions started within the same 65 s: one shared timestamp prefix, distinct random tails
     * (the other random bits from a generator seeded by the tails, so a failure replays).
     */
    @Provide
    Arbitrary<List<String>> sameMinuteThreads() {
        return Arbitraries.integers().list().ofMinSize(2).ofMaxSize(40).uniqueElements().map(tails -> {
            java.util.Random r = new java.util.Random(tails.hashCode());
            long window = T.toEpochMilli() & ~0xFFFFL; // the start of one 65.5 s window
            return tails.stream().map(t -> uuidV7(window + r.nextInt(65_536), r.nextInt(0x1000),
                    (long) r.nextInt(0x4000_0000) << 32 | (t & 0xFFFF_FFFFL))).toList();
        });
    }

    @Property(tries = 300)
    void codexThreadsStartedInTheSameMinuteHaveDistinctHandles(@ForAll("sameMinuteThreads") List<String> ids) {
        assertThat(ids.stream().map(id -> id.substring(0, 8)).distinct()).as("they share the timestamp prefix").hasSize(1);
        Set<String> handles = new HashSet<>();
        for (String id : ids) {
            String h = Handles.handle(id);
            assertThat(h).hasSize(Handles.HANDLE_LENGTH).isEqualTo(Handles.handle(id)).matches("[0-9a-f]{8}");
            assertThat(id).endsWith(h);
            handles.add(h);
        }
        assertThat(handles).hasSameSizeAs(ids);
    }

    @Provide
    Arbitrary<List<String>> v4Sessions() {
        return Arbitraries.integers().list().ofMinSize(2).ofMaxSize(40).uniqueElements().map(firsts -> firsts.stream()
                .map(f -> new UUID((long) f << 32 | (UUID.randomUUID().getMostSignificantBits() & 0xFFFF_0FFFL) | 0x4000L,
                        UUID.randomUUID().getLeastSignificantBits()).toString()).toList());
    }

    @Property(tries = 300)
    void uuidV4SessionsKeepTheirFirstEightCharacters(@ForAll("v4Sessions") List<String> ids) {
        Set<String> handles = new HashSet<>();
        for (String id : ids) {
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
            assertThat(Handles.handle(id)).isEqualTo(id.substring(0, 8));
            handles.add(Handles.handle(id));
        }
        assertThat(handles).hasSameSizeAs(ids);
    }

    @Test
    void theRealCodexThreadsOfIssue15() {
        // two `codex exec` sessions of one minute on Codex 0.169.0: both showed 01a24f40 before
        String one = "01a24f40-c707-78d1-b6bd-cadba77fac1e";
        String two = "01a24f40-e823-7601-9fb3-b7cc03d0fee0";
        assertThat(Handles.handle(one)).isEqualTo("a77fac1e");
        assertThat(Handles.handle(two)).isEqualTo("03d0fee0");
        assertThat(Handles.handle(one.toUpperCase(Locale.ROOT))).isEqualTo("A77FAC1E");
        assertThat(Handles.handle("p-0123456789abcdef")).isEqualTo("p-01234567");
        assertThat(Handles.handle("thread-one-0001")).isEqualTo("thread-o"); // not a UUID: its first 8, as before
    }

    @Property(tries = 200)
    void aPeerResolvesByItsHandle(@ForAll("sameMinuteThreads") List<String> ids) {
        List<Agent> agents = new java.util.ArrayList<>();
        agents.add(TargetResolverTest.agent(TargetResolverTest.ME, TargetResolverTest.P, "me-agent"));
        for (String id : ids) agents.add(TargetResolverTest.agent(id, TargetResolverTest.P, null));
        for (String id : ids) {
            assertThat(TargetResolver.resolve(Handles.handle(id), TargetResolverTest.ME, TargetResolverTest.P, agents).agentId()).isEqualTo(id);
            assertThat(TargetResolver.resolveToRead(Handles.handle(id), null, TargetResolverTest.P, agents).agentId()).isEqualTo(id);
        }
    }
}
