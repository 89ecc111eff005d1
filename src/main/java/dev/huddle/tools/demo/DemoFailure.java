package dev.huddle.tools.demo;

/** An expectation of the demo that did not hold: the message says what was expected and what happened. */
public final class DemoFailure extends RuntimeException {
    public DemoFailure(String message) {
        super(message);
    }

    /** Throws when {@code condition} is false. */
    static void expect(boolean condition, String what) {
        if (!condition) throw new DemoFailure(what);
    }
}
