package dev.huddle.hub.control;

import java.io.IOException;

/** Writes one line of a control stream ({@code cockpit_watch}) to the connection. */
@FunctionalInterface
public interface LineWriter {
    void write(String jsonLine) throws IOException;
}
