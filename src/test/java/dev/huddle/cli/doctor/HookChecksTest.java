package dev.huddle.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.agents.AgentClients;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.setup.ConfigWriter;
import dev.huddle.agents.setup.FilePlan;
import dev.huddle.agents.setup.Scope;
import dev.huddle.agents.setup.Setup;
import dev.huddle.agents.setup.SetupContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookChecksTest {
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private final Path socket = Path.of("/tmp/it's here/http.sock");

    private void install(HookClient client, Path sock, boolean curl) throws Exception {
        SetupContext ctx = new SetupContext(home, env, null, Path.of("/opt/huddle"), sock, curl, 100_000, null);
        for (FilePlan f : Setup.install(ctx, List.of(client), Scope.USER).files()) if (f.changed()) ConfigWriter.write(f);
    }

    private Check check(HookClient client, boolean curl) {
        return new HookChecks(new DoctorContext(home, env, null, socket, curl)).check(AgentClients.installed().of(client));
    }

    @Test
    void notInstalledMissingCurrentStaleAndElsewhere() throws Exception {
        assertThat(check(HookClient.GEMINI, true).detail()).startsWith("not installed (no ");
        Files.createDirectories(home.resolve(".gemini"));
        Check missing = check(HookClient.GEMINI, true);
        assertThat(missing.status()).isEqualTo(Check.Status.WARN);
        assertThat(missing.detail()).isEqualTo("missing: none of huddle's 6 hooks is installed");
        assertThat(missing.hint()).contains("huddle setup");

        install(HookClient.CLAUDE, socket, true);
        // curl where http would work is worth a warning, unless other people can log in here (then curl is the safe default)
        if (dev.huddle.hub.identity.TcpPeers.unavailable() == null && dev.huddle.hub.identity.LoginUsers.others().isEmpty()) {
            Check curlWhereHttpWorks = check(HookClient.CLAUDE, true);
            assertThat(curlWhereHttpWorks.status()).isEqualTo(Check.Status.WARN);
            assertThat(curlWhereHttpWorks.hint()).contains("huddle setup", "HUDDLE_HOOK_TRANSPORT=curl");
        }
        env.put("HUDDLE_HOOK_TRANSPORT", "curl");
        Check ok = check(HookClient.CLAUDE, true);
        assertThat(ok.status()).isEqualTo(Check.Status.OK);
        assertThat(ok.detail()).startsWith("7 hooks, v" + dev.huddle.agents.HookCatalog.VERSION + ", via curl in " + home.resolve(".claude/settings.json"));
        assertThat(check(HookClient.CLAUDE, false).detail()).contains("curl, which is not on PATH");

        Path settings = home.resolve(".claude/settings.json");
        Files.writeString(settings, Files.readString(settings).replace("Stop?v=" + dev.huddle.agents.HookCatalog.VERSION, "Stop?v=0"));
        Check stale = check(HookClient.CLAUDE, true);
        assertThat(stale.status()).isEqualTo(Check.Status.WARN);
        assertThat(stale.detail()).startsWith("stale: run huddle setup (Stop v0; current is v" + dev.huddle.agents.HookCatalog.VERSION + ")");

        install(HookClient.CODEX, Path.of("/elsewhere/http.sock"), true);
        Check elsewhere = check(HookClient.CODEX, true);
        assertThat(elsewhere.detail()).isEqualTo("the hooks call /elsewhere/http.sock but this huddle's hub listens on " + socket);

        install(HookClient.GEMINI, socket, false);
        assertThat(check(HookClient.GEMINI, false).detail()).contains("via huddle hook");
    }

    /** http hooks must POST to this home's kept hook port; a port nobody else holds is fine before the hub starts. */
    @Test
    void claudeHttpHooksMustPostToThisHomesHookPort() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.huddle.hub.identity.TcpPeers.unavailable() == null, "needs /proc");
        env.put("HUDDLE_HOME", home.resolve("hh").toString());
        dev.huddle.protocol.HubPaths paths = dev.huddle.protocol.HubPaths.fromEnvironment(env);
        int port = dev.huddle.protocol.HookPort.ensure(paths);
        SetupContext ctx = new SetupContext(home, env, null, Path.of("/opt/huddle"), socket, true, 100_000, null, port);
        for (FilePlan f : Setup.install(ctx, List.of(HookClient.CLAUDE), Scope.USER).files()) if (f.changed()) ConfigWriter.write(f);
        Check ok = check(HookClient.CLAUDE, true);
        assertThat(ok.status()).as(ok.toString()).isEqualTo(Check.Status.OK);
        assertThat(ok.detail()).contains("via http on port " + port, "via curl"); // SessionStart and the rewake waiter stay curl

        dev.huddle.protocol.HookPort.keep(paths, port == 65_000 ? 65_001 : 65_000);
        Check moved = check(HookClient.CLAUDE, true);
        assertThat(moved.status()).isEqualTo(Check.Status.WARN);
        assertThat(moved.detail()).contains("POST to port " + port, "this huddle's hook port is");
    }

    /** Codex runs a hook only once its user trusted it (its hash under {@code [hooks.state]} in config.toml). */
    @Test
    void codexHooksItDoesNotTrustAreAWarningThatSaysWhatToDo() throws Exception {
        install(HookClient.CODEX, socket, true);
        Check untrusted = check(HookClient.CODEX, true);
        assertThat(untrusted.status()).isEqualTo(Check.Status.WARN);
        assertThat(untrusted.detail()).startsWith("5 hooks, v" + dev.huddle.agents.HookCatalog.VERSION + ", via curl in " + home.resolve(".codex/hooks.json"))
                .endsWith("; 0 of 5 trusted; not run: SessionStart (not trusted yet), UserPromptSubmit (not trusted yet),"
                        + " PreToolUse (not trusted yet), PostToolUse (not trusted yet), Stop (not trusted yet)");
        assertThat(untrusted.hint()).contains("Trust all and continue", "/hooks");
    }

    @Test
    void anUnparsableSettingsFileIsAWarning() throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude/settings.json"), "{\"hooks\": ");
        Check c = check(HookClient.CLAUDE, true);
        assertThat(c.status()).isEqualTo(Check.Status.WARN);
        assertThat(c.detail()).contains("does not parse (line 1, column 11");
    }
}
