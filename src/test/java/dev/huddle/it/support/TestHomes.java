package dev.huddle.it.support;

import java.util.ArrayList;
import java.util.List;

/** The homes a test class created, closed newest first after each test. */
public final class TestHomes implements AutoCloseable {
    private final List<TestHome> homes = new ArrayList<>();

    public TestHome create() {
        return track(TestHome.create());
    }

    public TestHome track(TestHome home) {
        homes.add(home);
        return home;
    }

    @Override
    public void close() {
        homes.reversed().forEach(TestHome::close);
        homes.clear();
    }
}
