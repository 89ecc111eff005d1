package dev.huddle.hub.identity;

import dev.huddle.core.identity.HubHeartbeat;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.HubBeats;
import dev.huddle.store.MachineHub;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * This hub's heartbeat on a store several machines' hubs share: every {@link HubHeartbeat#BEAT} it writes its row, on
 * a thread of its own (a slow database delays the beat, never an agent), and an orderly stop marks it stopped so the
 * others show its agents offline at once. A failed beat only degrades: it is logged once and tried at the next tick.
 *
 * <p>After each beat it reads which other machines are silent: when that changes, nothing was committed (a dead hub
 * commits nothing), so it tells the change signal itself, and the watchers ({@code watch}, {@code web},
 * {@code log --follow}) redraw with those agents offline. A machine whose beat is late enough to fall silent before the
 * next tick is looked at again the moment it would, so the watchers see it then, not up to a beat later.
 */
public final class MachineBeat implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MachineBeat.class.getName());

    private final HubBeats beats;
    private final ChangeSignal changes;
    private final String machine;
    private final String version;
    private final long pid;
    private final Instant startedAt;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("hub-heartbeat").daemon(true).factory());
    private Set<String> silent = Set.of();
    private boolean failing;

    public MachineBeat(HubBeats beats, ChangeSignal changes, String machine, String version, long pid, Instant startedAt) {
        this.beats = beats;
        this.changes = changes;
        this.machine = machine;
        this.version = version;
        this.pid = pid;
        this.startedAt = startedAt;
    }

    /** Beats once now (before agents connect, so the others see them online from the start), then every beat. */
    public MachineBeat start() {
        tick();
        long every = HubHeartbeat.BEAT.toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void tick() {
        try {
            beats.beat(version, pid, startedAt);
            if (failing) LOG.info("heartbeat written again");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) LOG.warning("heartbeat failed (the other machines show this one's agents offline after "
                    + HubHeartbeat.SILENT_AFTER.toSeconds() + " s without one; tried again every " + HubHeartbeat.BEAT.toSeconds()
                    + " s): " + e.getMessage());
            failing = true;
            return;
        }
        checkSilence();
    }

    private synchronized void checkSilence() {
        try {
            long soonestMs = Long.MAX_VALUE; // until a machine beating now falls silent, if it beats no more
            Set<String> now = new TreeSet<>();
            for (MachineHub m : beats.machines()) {
                if (m.machine().equals(machine)) continue;
                if (m.heartbeat().silent()) now.add(m.machine());
                else soonestMs = Math.min(soonestMs, HubHeartbeat.SILENT_AFTER.minus(m.heartbeat().age()).toMillis());
            }
            if (soonestMs < HubHeartbeat.BEAT.toMillis() && !timer.isShutdown()) {
                timer.schedule(this::checkSilence, Math.max(0, soonestMs) + 50, TimeUnit.MILLISECONDS);
            }
            if (now.equals(silent)) return;
            for (String m : now) if (!silent.contains(m)) LOG.info("machine " + m + " is silent: its agents are shown offline");
            for (String m : silent) if (!now.contains(m)) LOG.info("machine " + m + " beats again");
            silent = Set.copyOf(now);
            changes.committed(); // the watchers redraw: nothing was committed, yet what they show changed
        } catch (RuntimeException e) {
            // the beat went through; the next tick reads again
        }
    }

    /** Stops beating and marks this hub stopped: the others show its agents offline now, not in 8 s. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            beats.stopped(pid);
        } catch (RuntimeException e) {
            LOG.info("could not mark this hub stopped (the others see it silent within " + HubHeartbeat.SILENT_AFTER.toSeconds()
                    + " s): " + e.getMessage());
        }
    }
}
