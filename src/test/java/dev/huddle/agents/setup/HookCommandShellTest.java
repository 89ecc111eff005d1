package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookSpec;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed commands, read back from the written settings files, run under {@code sh -c} as the clients run
 * them: with a socket or launcher path full of spaces and quotes, and no hub, they print nothing and exit 0.
 */
class HookCommandShellTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String stdout, String stderr) {}

    private static Run sh(String command, String stdin) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException exitedFirst) {
            // a hook that fails open may end before reading its payload, as it may under a real client
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void curlAndLauncherFormsSurviveSpacesAndQuotesAndFailOpen() throws Exception {
        Path weird = Files.createDirectories(tmp.resolve("it's a \"dir\" $HOME `x` \\ here"));
        Path socket = weird.resolve("http.sock");
        Path launcher = weird.resolve("huddle");
        for (boolean curl : List.of(true, false)) {
            Path home = Files.createDirectories(tmp.resolve("home-" + curl));
            SetupContext ctx = new SetupContext(home, new HashMap<>(), null, launcher, socket, curl, 100_000, weird.toString());
            SetupPlan plan = Setup.install(ctx, List.of(HookClient.values()), Scope.USER);
            assertThat(plan.problems()).isEmpty();
            for (FilePlan f : plan.files()) if (f.changed()) ConfigWriter.write(f);

            JsoncDocument claude = JsoncDocument.parse(Files.readString(home.resolve(".claude/settings.json")));
            assertThat(claude.get(List.of("mcpServers"))).isEmpty();
            assertThat(JsoncDocument.parse(Files.readString(home.resolve(".claude.json"))).get(List.of("mcpServers", "huddle", "command")))
                    .contains(launcher.toString());
            assertThat(TomlDocument.parse(Files.readString(home.resolve(".codex/config.toml"))).at(List.of("mcp_servers", "huddle", "command"))
                    .asString()).isEqualTo(launcher.toString());
            for (HookSpec spec : HookCatalog.forClient(HookClient.CLAUDE)) {
                String command = JsonHooks.ours(claude, spec.event()).getFirst().command();
                assertThat(command).contains(curl ? "--unix-socket" : " hook claude ");
                Run r = sh(command, "{\"session_id\":\"s1\",\"hook_event_name\":\"" + spec.event() + "\"}");
                assertThat(r).as(command).isEqualTo(new Run(0, "", ""));
            }
            InstalledHooks installed = InstalledHooks.inspect(HookClient.CLAUDE, home, new HashMap<>(), null);
            assertThat(installed.sockets()).isEqualTo(curl ? java.util.Set.of(socket.toString()) : java.util.Set.of());
            assertThat(installed.missing()).isEmpty();
        }
    }

    @Test
    void theCurlFormPrintsWhatTheHubAnswers() throws Exception {
        // a stand-in for curl on PATH proves the pipeline: the answer is printed only when there is one
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fake = bin.resolve("curl");
        Files.writeString(fake, "#!/bin/sh\ncat >/dev/null\nprintf '{\"decision\":\"block\"}'\n");
        fake.toFile().setExecutable(true);
        String command = new SetupContext(tmp, new HashMap<>(), null, tmp, tmp.resolve("s"), true, 1, null)
                .command(HookCatalog.find(HookClient.CLAUDE, "Stop").orElseThrow());
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectInput(new File("/dev/null"));
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Process q = pb.start();
        assertThat(q.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"decision\":\"block\"}\n");
        assertThat(q.exitValue()).isZero();
    }
}
