package dev.huddle.agents.gemini;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.ClientDoctor;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.doctor.Registration;
import dev.huddle.agents.setup.McpEntryReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Gemini CLI has huddle registered: {@code settings.json} under {@code ~/.gemini} (user settings) or the
 * repository's {@code .gemini} (project settings). Gemini CLI strips comments from them; so does this reader. Its
 * own check, {@code gemini-tools}: whether Gemini runs huddle's tools unasked, which {@code gemini -p} needs to offer
 * them at all (issue 15, defect 4).
 */
record GeminiDoctor(ClientSetup setup) implements ClientDoctor {
    @Override
    public Registration registration(DoctorContext ctx) {
        return McpEntryReader.firstOf(setup, ctx, GeminiDoctor::read);
    }

    @Override
    public List<Check> checks(DoctorContext ctx) {
        return GeminiToolTrust.inspect(setup, ctx.home(), ctx.env(), ctx.projectRoot())
                .map(a -> a.unattended() ? Check.ok("gemini-tools", a.detail()) : Check.warn("gemini-tools", a.detail(), a.advice()))
                .stream().toList();
    }

    private static Registration read(Path f, boolean userScope) {
        try {
            JsonNode s = McpEntryReader.jsonEntry(McpEntryReader.jsonObject(f, true));
            if (!s.isObject()) return null;
            return new Registration.Found((userScope ? "user settings (" : "project settings (") + f + ")", McpEntryReader.command(s));
        } catch (IOException | JacksonException e) {
            return new Registration.Unreadable(f + " is not valid JSON (" + McpEntryReader.problem(e) + ")",
                    "Fix the file; Gemini CLI reports the same error on start.");
        }
    }
}
