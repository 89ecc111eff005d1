package dev.huddle.protocol.control;

import dev.huddle.protocol.Hello;
import dev.huddle.protocol.json.Inline;
import dev.huddle.protocol.json.Json;

/**
 * A {@link Hello} as a client writes it to hub.sock, through the protocol's codec: {@code "huddle":1} first, then the
 * hello's fields in snake_case, the absent ones left out ({@link Hello#parse} reads it back).
 *
 * @param huddle the protocol's mark, always {@link #PROTOCOL}
 */
public record HelloLine(int huddle, @Inline Hello hello) {
    public static final int PROTOCOL = 1;

    /** The line of {@code hello}, without its newline. */
    public static String of(Hello hello) {
        return Json.write(new HelloLine(PROTOCOL, hello));
    }
}
