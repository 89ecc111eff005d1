package dev.huddle.protocol.control;

import dev.huddle.protocol.json.Inline;
import dev.huddle.protocol.tools.Views;

/** The reply to {@code read}: what read_session shows (its fields, inline), and the project it was read in. */
public record SessionRead(@Inline Views.ReadSessionResult result, String projectRoot) {}
