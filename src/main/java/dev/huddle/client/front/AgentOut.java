package dev.huddle.client.front;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The agent's end of the front: its stdout, one JSON-RPC line at a time, flushed, and nothing but MCP. */
final class AgentOut {
    private final OutputStream stdout;

    AgentOut(OutputStream stdout) {
        this.stdout = stdout;
    }

    void line(String json) {
        line(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns once the line is written and flushed: from then on it is the agent's. */
    void line(byte[] bytes) {
        synchronized (stdout) {
            try {
                stdout.write(bytes);
                stdout.write('\n');
                stdout.flush();
            } catch (IOException e) {
                Runtime.getRuntime().halt(0); // the agent closed our stdout: nobody is listening
            }
        }
    }

    void flushQuietly() {
        synchronized (stdout) {
            try {
                stdout.flush();
            } catch (IOException ignored) {
                // exiting
            }
        }
    }
}
