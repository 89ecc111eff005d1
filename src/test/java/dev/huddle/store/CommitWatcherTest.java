package dev.huddle.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CommitWatcherTest {
    @Test
    void aSignalTellsWhichTablesChangedSinceAGeneration() {
        ChangeSignal s = new ChangeSignal();
        s.committed(Set.of("messages"));
        long seen = s.generation();
        s.committed(Set.of("wakes", "messages"));
        assertThat(s.touched(seen, Set.of("wakes"))).isTrue();
        assertThat(s.touched(seen, Set.of("read_requests"))).isFalse();
        assertThat(s.touched(0, Set.of("messages"))).isTrue();
        s.committed(); // tables not known: any of them may have changed
        assertThat(s.touched(seen + 1, Set.of("read_requests"))).isTrue();
    }

    @Test
    void aWatcherOfSomeTablesLooksOnlyAfterCommitsThatWroteThemOrOnesNotKnown() throws Exception {
        ChangeSignal s = new ChangeSignal();
        List<Long> lookedAt = new CopyOnWriteArrayList<>(); // the signal's generation as each look starts
        CountDownLatch firstLookHeld = new CountDownLatch(1);
        Runnable look = () -> {
            lookedAt.add(s.generation());
            if (lookedAt.size() == 1) {
                try {
                    firstLookHeld.await(); // commits land while the first look runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (CommitWatcher w = new CommitWatcher("test-watcher", s, Set.of("wakes"), look, "testing").start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> lookedAt.size() == 1);
            s.committed(Set.of("messages"));
            s.committed(Set.of("messages", "asks"));
            firstLookHeld.countDown(); // the watcher finds these commits at once: none wrote a table it watches
            await().atMost(Duration.ofSeconds(20)).until(() -> s.waiting() == 1); // it decided, and waits again
            s.committed(Set.of("wakes"));
            long wakes = s.generation();
            await().atMost(Duration.ofSeconds(20)).until(() -> lookedAt.size() >= 2);
            assertThat(lookedAt.get(1)).as("the second look is the one the wakes commit asked for").isGreaterThanOrEqualTo(wakes);
            s.committed(); // tables not known (a reconnect): any may have changed
            await().atMost(Duration.ofSeconds(20)).until(() -> lookedAt.size() >= 3);
        }
    }
}
