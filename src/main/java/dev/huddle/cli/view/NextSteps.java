package dev.huddle.cli.view;

import dev.huddle.core.identity.TargetResolver;
import dev.huddle.protocol.control.ControlError;

import java.util.ArrayList;
import java.util.List;

/**
 * What a person types next after the hub refused a command. The hub's own hints are written for agents ("call
 * list_project_sessions"); a person at a shell gets the huddle command instead, with the project they asked about.
 */
public final class NextSteps {
    private NextSteps() {}

    /**
     * @param e       the refusal
     * @param command the command as typed so far, for a retry in another project ({@code huddle send})
     * @param project the {@code --project} the person gave, or null
     */
    public static List<String> after(ControlError e, String command, String project) {
        String ps = "huddle ps" + (project == null ? "" : " --project " + project);
        List<String> lines = new ArrayList<>();
        switch (e.code() == null ? "" : e.code()) {
            case "target-not-found" -> {
                if (Boolean.TRUE.equals(detail(e, "short_prefix"))) {
                    lines.add("Type at least " + TargetResolver.MIN_PREFIX + " characters of an id, or the agent's name.");
                }
                lines.add("See this project's agents, with their names and ids: " + ps);
            }
            case "ambiguous-target" -> lines.add("Use more characters of the id, or the full session id; " + ps + " lists them.");
            case "cross-project" -> {
                String other = detail(e, "project_root") instanceof String s ? s : null;
                if (other != null) {
                    lines.add("That agent works in " + other + ". Run the command from there (cd " + other + "), or add --project:");
                    lines.add("  " + command + " --project " + other + " …");
                } else {
                    lines.add("Run the command from that agent's repository, or add --project <a directory of it>.");
                }
            }
            case "body-too-large" -> lines.add("Shorten the text, or write the details to a file in the repository and send its path.");
            case "no-agents", "nothing-online" -> lines.add("See who is registered: " + ps);
            default -> { }
        }
        return lines;
    }

    private static Object detail(ControlError e, String key) {
        return e.details() == null ? null : e.details().get(key);
    }
}
