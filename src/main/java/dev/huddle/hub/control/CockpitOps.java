package dev.huddle.hub.control;

import dev.huddle.hub.cockpit.CockpitFeed;

import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.WatchLine;
import dev.huddle.protocol.json.Json;

import java.io.IOException;
import java.time.Duration;

/** The cockpit's control ops: {@code cockpit} (one snapshot) and the stream {@code cockpit_watch} ({@code huddle watch}). */
final class CockpitOps {
    private final CockpitFeed feed;
    private final Projects projects;

    CockpitOps(CockpitFeed feed, Projects projects) {
        this.feed = feed;
        this.projects = projects;
    }

    CockpitSnapshot snapshot(ControlRequest.Cockpit request, String cwd) {
        return feed.snapshot(scope(request.project(), request.all(), cwd), maxObligationAge(request.maxObligationAgeMs()));
    }

    /**
     * {@code huddle watch}: the reply carries the first snapshot; after it, one line per new snapshot
     * ({@code {"snapshot":{…}}}) and a heartbeat line ({@code {"heartbeat":true}}) when nothing changed for a while.
     * A request the hub cannot serve is answered by a refusal, thrown before anything is written.
     */
    void stream(ControlRequest.CockpitWatch request, String cwd, LineWriter out) throws IOException {
        String scope = scope(request.project(), request.all(), cwd);
        Duration maxAge = maxObligationAge(request.maxObligationAgeMs());
        CockpitSnapshot first = feed.snapshot(scope, maxAge);
        out.write(ControlReply.ok(first));
        feed.stream(scope, maxAge, first, new CockpitFeed.Sink() {
            @Override
            public void snapshot(CockpitSnapshot s) throws IOException {
                out.write(Json.write(WatchLine.of(s)));
            }

            @Override
            public void heartbeat() throws IOException {
                out.write(Json.write(WatchLine.HEARTBEAT));
            }
        });
    }

    /** The cockpit's project: null with {@code all}, else the {@code project} argument's or the caller's. */
    private String scope(String project, boolean all, String cwd) {
        return all ? null : projects.of(project, cwd);
    }

    /** The threshold of a stale obligation: the request's, else 30 minutes. */
    static Duration maxObligationAge(Long ms) {
        return Duration.ofMillis(Math.max(0, ms == null ? StatusReport.DEFAULT_MAX_OBLIGATION_AGE_MS : ms));
    }
}
