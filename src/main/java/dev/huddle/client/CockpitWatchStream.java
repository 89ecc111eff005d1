package dev.huddle.client;

import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.WatchLine;
import dev.huddle.protocol.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An open {@code cockpit_watch}: the first snapshot came with the reply; {@link #next()} blocks for each line the hub
 * pushes after it. {@link #close()} may be called from another thread to end a blocked read.
 */
public final class CockpitWatchStream implements AutoCloseable {
    private final HubConnector.Connection connection;
    private final CockpitSnapshot first;
    // Lines can be hundreds of KB (a feed of 200 messages): a buffered reader, not HubConnector.readLine.
    private final BufferedReader lines;

    CockpitWatchStream(HubConnector.Connection connection, CockpitSnapshot first) {
        this.connection = connection;
        this.first = first;
        this.lines = new BufferedReader(new InputStreamReader(connection.in(), StandardCharsets.UTF_8), 1 << 16);
    }

    public CockpitSnapshot first() {
        return first;
    }

    /** The next line: a snapshot, or a heartbeat; null when the hub closed the stream. */
    public WatchLine next() throws IOException {
        String line = lines.readLine();
        return line == null ? null : Json.read(line, WatchLine.class);
    }

    @Override
    public void close() {
        connection.close();
    }
}
