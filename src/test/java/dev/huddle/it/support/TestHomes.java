package dev.huddle.it.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The homes of one test (or one test class), closed newest first. {@link HubTest} keeps one per scope and injects it
 * into a test that needs more than the one {@link TestHome} it is given (a home inside another home, say).
 */
public final class TestHomes implements AutoCloseable {
    private final List<TestHome> homes = new ArrayList<>();

    public TestHome create() {
        return track(TestHome.create());
    }

    /** A home standing in for a machine of a team: its hub uses the shared store {@code db} as the machine {@code name}. */
    public TestHome machine(dev.huddle.store.postgres.PostgresTarget db, String name) {
        return create().withEnv("HUDDLE_STORE_URL", db.toString()).withEnv("HUDDLE_MACHINE", name);
    }

    /** Closes {@code home} with the others (a home made with {@link TestHome#at}). */
    public TestHome track(TestHome home) {
        homes.add(home);
        return home;
    }

    /** Every home so far, oldest first. */
    List<TestHome> all() {
        return List.copyOf(homes);
    }

    @Override
    public void close() {
        homes.reversed().forEach(TestHome::close);
        homes.clear();
    }
}
