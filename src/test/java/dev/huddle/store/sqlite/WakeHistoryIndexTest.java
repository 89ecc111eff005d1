package dev.huddle.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wake policy's reading of a recipient's past wakes, which runs in every send's transaction, reads only the
 * fired rows (V012), never every decision of the recipient (issue 18: throughput fell as the table grew).
 */
class WakeHistoryIndexTest {

    @Test
    void theLastWakeAndTheRecentWakesOfATargetReadOnlyFiredRows(@TempDir Path tmp) throws SQLException {
        assertThat(QueryPlans.onFreshDatabase(tmp, "SELECT max(at) FROM wakes WHERE target_id = 't' AND status = 'will_fire'",
                "SELECT count(*) FROM wakes WHERE target_id = 't' AND at >= 5 AND status = 'will_fire'"))
                .allMatch(step -> step.contains("wakes_fired_by_target"));
    }
}
