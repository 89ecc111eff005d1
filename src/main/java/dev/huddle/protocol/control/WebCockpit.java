package dev.huddle.protocol.control;

/**
 * The reply to {@code web}: where the web cockpit listens.
 *
 * @param url         with the token and the project (or {@code all=1})
 * @param started     false when it was already running
 * @param projectRoot the project shown; absent with {@code all}
 * @param all         true with every project, else absent
 */
public record WebCockpit(String url, int port, String token, boolean started, String projectRoot, Boolean all) {}
