package dev.huddle.cli.view;

import dev.huddle.protocol.control.ControlError;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A person gets the huddle command to type next, never the hint written for agents. */
class NextStepsTest {
    @Test
    void anUnknownTargetPointsAtHuddlePsInTheProjectAsked() {
        ControlError e = new ControlError("target-not-found", "no agent matches 'nobody'", "Call list_project_sessions to see…",
                Map.of("target", "nobody"));
        assertThat(NextSteps.after(e, "huddle send", null)).containsExactly("See this project's agents, with their names and ids: huddle ps");
        assertThat(NextSteps.after(e, "huddle send", "/w/repo")).singleElement().asString().endsWith("huddle ps --project /w/repo");
        assertThat(String.join("\n", NextSteps.after(e, "huddle send", null))).doesNotContain("list_project_sessions");
    }

    @Test
    void aShortIdPrefixSaysHowManyCharactersItNeeds() {
        ControlError e = new ControlError("target-not-found", "…", null, Map.of("target", "1a2b3c4", "short_prefix", true));
        assertThat(NextSteps.after(e, "huddle send", null).getFirst()).contains("at least 8 characters");
    }

    @Test
    void anAgentOfAnotherProjectNamesTheDirectoryAndTheFlag() {
        ControlError e = new ControlError("cross-project", "'bob' is an agent of another project (/w/other)…", null,
                Map.of("target", "bob", "project_root", "/w/other"));
        assertThat(NextSteps.after(e, "huddle send", null)).containsExactly(
                "That agent works in /w/other. Run the command from there (cd /w/other), or add --project:",
                "  huddle send --project /w/other …");
    }

    @Test
    void codesWithNothingToAddAddNothing() {
        assertThat(NextSteps.after(new ControlError("name-taken", "x"), "huddle send", null)).isEmpty();
    }
}
