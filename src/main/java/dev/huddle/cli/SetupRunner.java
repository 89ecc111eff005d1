package dev.huddle.cli;

import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.NioFileProbe;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.setup.ClientFiles;
import dev.huddle.agents.setup.ConfigWriter;
import dev.huddle.agents.setup.FilePlan;
import dev.huddle.agents.setup.Scope;
import dev.huddle.agents.setup.Setup;
import dev.huddle.agents.setup.SetupContext;
import dev.huddle.agents.setup.SetupPlan;
import dev.huddle.cli.doctor.Tools;
import dev.huddle.hub.HubConfig;
import dev.huddle.protocol.HookPort;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.json.KeepNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs setup or uninstall: gathers the machine's facts, plans, writes (unless dry-run) and reports. */
final class SetupRunner {
    private final Map<String, String> env;
    private final Path cwd;
    private final PrintWriter out;
    private final PrintWriter err;
    private String hookTransport;

    SetupRunner(Map<String, String> env, Path cwd, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.cwd = cwd;
        this.out = out;
        this.err = err;
    }

    /** {@code --hook-transport}, or null for $HUDDLE_HOOK_TRANSPORT / auto. */
    void hookTransport(String transport) {
        this.hookTransport = transport;
    }

    int run(boolean uninstall, List<HookClient> named, Scope scope, boolean dryRun, boolean json) {
        String verb = uninstall ? "huddle uninstall" : "huddle setup";
        Path home = userHome(env);
        Path root = projectRoot(cwd);
        if (scope == Scope.PROJECT && root == null) {
            return fail(json, verb + ": " + cwd + " is not in a git repository; --scope project writes the config files at a"
                    + " repository's root. Run it inside the repository, or use --scope user.");
        }
        Path launcher = launcher(env);
        if (launcher == null && !uninstall) {
            return fail(json, verb + ": cannot find the huddle launcher (HUDDLE_LAUNCHER is not set and there is no executable"
                    + " 'huddle' next to the jar); run setup through the launcher script, e.g. /path/to/huddle setup.");
        }
        HubPaths paths = HubPaths.fromEnvironment(env);
        String configured = env.get("HUDDLE_HOME");
        List<String> notes = new ArrayList<>();
        HookTransport.Choice hookPort;
        try {
            hookPort = uninstall ? new HookTransport.Choice(0, false) : HookTransport.port(hookTransport, env, paths, notes);
        } catch (IOException | IllegalArgumentException e) {
            return fail(json, verb + ": " + e.getMessage() + (e instanceof IOException ? " (choosing the hook port in " + paths.home()
                    + "); or install command hooks: --hook-transport curl" : ""));
        }
        SetupContext ctx = new SetupContext(home, env, root, launcher, paths.httpSocket(),
                Tools.onPath("curl", env.get("PATH")).isPresent(), HubConfig.load(paths.config(), env).askMaxTimeout().toMillis(),
                configured != null && !configured.isBlank() ? paths.home().toString() : null, hookPort.port());
        List<HookClient> clients = named != null ? named : defaultClients(uninstall, home, notes);
        SetupPlan plan = uninstall ? Setup.uninstall(ctx, clients, scope) : Setup.install(ctx, clients, scope);
        SetupReport report = new SetupReport(uninstall, scope, dryRun, ctx, clients, plan);
        report.notes().addAll(notes);
        if (!plan.ok()) {
            report.print(out, err, json);
            return ExitCodes.FAILURE;
        }
        if (!dryRun) {
            if (hookPort.keep() && plan.files().stream().anyMatch(FilePlan::changed)) {
                try {
                    HookPort.keep(paths, hookPort.port());
                } catch (IOException e) {
                    return fail(json, verb + ": cannot keep the hook port in " + paths.hookPort() + " (" + e.getMessage()
                            + "); nothing was written. Or install command hooks: --hook-transport curl");
                }
            }
            for (FilePlan f : plan.files()) {
                if (!f.changed()) continue;
                try {
                    report.written(f, ConfigWriter.write(f));
                } catch (IOException e) {
                    report.failed(f, e.getMessage());
                    report.print(out, err, json);
                    return ExitCodes.FAILURE;
                }
            }
        }
        report.print(out, err, json);
        return 0;
    }

    /** What {@code --git-hook --json} prints. */
    private record GitHookJson(boolean ok, String action, String hook, @KeepNull String message, boolean dryRun, List<String> notes) {}

    /** What {@code --json} prints when nothing could be planned. */
    private record Failed(boolean ok, List<String> problems) {}

    /** {@code --git-hook}: install or remove the pre-commit guard of the repository around {@code cwd}. */
    int gitHook(boolean uninstall, boolean dryRun, boolean json) {
        dev.huddle.agents.setup.GitHook.Result r = uninstall ? dev.huddle.agents.setup.GitHook.uninstall(cwd, dryRun)
                : dev.huddle.agents.setup.GitHook.install(cwd, HubPaths.fromEnvironment(env).httpSocket(), dryRun);
        if (json) {
            out.println(Json.write(new GitHookJson(r.ok(), r.action(), r.hook() == null ? null : r.hook().toString(), r.message(), dryRun,
                    r.notes().isEmpty() ? null : r.notes())));
            out.flush();
        } else if (r.ok()) {
            out.println((dryRun ? "would be " : "") + "pre-commit guard " + r.action() + ": " + (r.hook() == null ? "" : r.hook() + " (") + r.message()
                    + (r.hook() == null ? "" : ")"));
            r.notes().forEach(n -> out.println("note: " + n));
            if (!uninstall && r.ok()) out.println("A commit of files another live agent claims exclusively is refused; override once with"
                    + " HUDDLE_ALLOW_CLAIMED=1 git commit ... (or git commit --no-verify).");
            out.flush();
        } else {
            err.println((uninstall ? "huddle uninstall --git-hook: " : "huddle setup --git-hook: ") + r.message());
            err.flush();
        }
        return r.ok() ? 0 : ExitCodes.FAILURE;
    }

    private List<HookClient> defaultClients(boolean uninstall, Path home, List<String> notes) {
        if (uninstall) return List.of(HookClient.values());
        List<HookClient> present = new ArrayList<>();
        for (HookClient c : HookClient.values()) if (Files.isDirectory(ClientFiles.userConfigDir(c, home, env))) present.add(c);
        if (!present.isEmpty()) return present;
        notes.add("No client config directory found (~/.claude, ~/.codex, ~/.gemini): set up all three.");
        return List.of(HookClient.values());
    }

    private int fail(boolean json, String message) {
        if (json) {
            out.println(Json.write(new Failed(false, List.of(message))));
            out.flush();
        } else {
            err.println(message);
            err.flush();
        }
        return ExitCodes.FAILURE;
    }

    static Path userHome(Map<String, String> env) {
        return HubPaths.userHome(env).toAbsolutePath();
    }

    /** The launcher script that started us ($HUDDLE_LAUNCHER), else a {@code huddle} next to the jar or its parent. */
    static Path launcher(Map<String, String> env) {
        String l = env.get("HUDDLE_LAUNCHER");
        if (l != null && !l.isBlank() && Files.isExecutable(Path.of(l))) return Path.of(l).toAbsolutePath().normalize();
        try {
            Path jar = Path.of(SetupRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null && dir.getNameCount() >= jar.getParent().getNameCount() - 1; dir = dir.getParent()) {
                Path candidate = dir.resolve("huddle");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate.toAbsolutePath().normalize();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (tests): no launcher
        }
        return null;
    }

    /** The git repository containing {@code dir} (its {@code .git} holder), or null. */
    static Path projectRoot(Path dir) {
        if (dir == null) return null;
        return new ProjectLocator(new NioFileProbe()).repositoryRoot(dir.toAbsolutePath().normalize()).orElse(null);
    }
}
