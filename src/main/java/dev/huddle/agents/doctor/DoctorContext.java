package dev.huddle.agents.doctor;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the doctor's checks of a client look at.
 *
 * @param home        the user's home directory ({@code $HOME})
 * @param env         the environment the doctor runs in (a client's own variables say where its files are)
 * @param projectRoot the git repository of the current directory (its project-scope files), or null
 * @param httpSocket  where this huddle's hub takes hook requests
 * @param curl        whether curl is on {@code PATH}
 */
public record DoctorContext(Path home, Map<String, String> env, Path projectRoot, Path httpSocket, boolean curl) {}
