package dev.huddle.cli;

import dev.huddle.agents.AgentClients;
import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.setup.Change;
import dev.huddle.agents.setup.ClientFiles;
import dev.huddle.agents.setup.ConfigWriter;
import dev.huddle.agents.setup.FilePlan;
import dev.huddle.agents.setup.Scope;
import dev.huddle.agents.setup.SetupContext;
import dev.huddle.agents.setup.SetupPlan;
import dev.huddle.agents.setup.TextDiff;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.json.KeepNull;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What setup or uninstall did (or would do), for people (one line per entry under each file) or as JSON. */
final class SetupReport {
    private final boolean uninstall;
    private final Scope scope;
    private final boolean dryRun;
    private final SetupContext ctx;
    private final List<HookClient> clients;
    private final SetupPlan plan;
    private final Map<Path, ConfigWriter.Written> written = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private String failure;

    SetupReport(boolean uninstall, Scope scope, boolean dryRun, SetupContext ctx, List<HookClient> clients, SetupPlan plan) {
        this.uninstall = uninstall;
        this.scope = scope;
        this.dryRun = dryRun;
        this.ctx = ctx;
        this.clients = clients;
        this.plan = plan;
    }

    List<String> notes() {
        return notes;
    }

    void written(FilePlan f, ConfigWriter.Written w) {
        written.put(f.path(), w);
    }

    void failed(FilePlan f, String message) {
        failure = "writing " + f.path() + " failed: " + message;
    }

    void print(PrintWriter out, PrintWriter err, boolean json) {
        addNotes();
        if (json) out.println(Json.write(json()));
        else text(out, err);
        out.flush();
        err.flush();
    }

    private String verb() {
        return uninstall ? "huddle uninstall" : "huddle setup";
    }

    private void text(PrintWriter out, PrintWriter err) {
        if (!plan.ok()) {
            err.println(verb() + ": refused; nothing was written.");
            plan.problems().forEach(p -> err.println("  - " + p));
            return;
        }
        StringBuilder head = new StringBuilder(verb() + (dryRun ? " --dry-run (nothing is written)" : "") + ": " + scope.id() + " scope");
        if (!uninstall) {
            head.append("; MCP command ").append(ctx.launcher()).append(" mcp; hooks ")
                    .append(ctx.curl() ? "call " + ctx.httpSocket() + " with curl" : "run " + ctx.launcher() + " hook (no curl on PATH)");
        }
        out.println(head);
        for (HookClient c : clients) {
            List<FilePlan> files = plan.files().stream().filter(f -> f.client() == c).toList();
            out.println();
            out.println(ClientFiles.displayName(c));
            if (files.isEmpty()) out.println("  nothing to do (no config files)");
            for (FilePlan f : files) {
                out.println("  " + f.path() + "  " + state(f));
                for (Change ch : f.changes()) {
                    out.println(String.format("    %-10s %s%s", ch.action().label(), ch.item(), ch.detail().isEmpty() ? "" : " (" + ch.detail() + ")"));
                }
                if (dryRun && f.changed()) TextDiff.unified(f.before(), f.after()).lines().forEach(l -> out.println("      " + l));
            }
        }
        out.println();
        if (failure != null) {
            err.println(verb() + ": " + failure);
            err.println("  Files listed above as changed were written (each with a backup); the rest were not.");
            return;
        }
        long changed = plan.files().stream().filter(FilePlan::changed).count();
        if (changed == 0) {
            out.println(uninstall ? "Nothing to remove: no huddle entries found." : "Nothing to change: huddle is set up and current (hooks v" + HookCatalog.VERSION + ").");
        } else {
            out.println(changed + (changed == 1 ? " file " : " files ") + (dryRun ? "would change." : "changed" + (hasBackups() ? "; backups beside them (*.huddle-backup-*)." : ".")));
        }
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("• " + n));
        }
        if (!uninstall) {
            out.println();
            List<Permission> missing = permissions().stream().filter(p -> !p.granted()).toList();
            List<String> granted = permissions().stream().filter(Permission::granted).map(Permission::client).toList();
            if (!missing.isEmpty()) {
                out.println("For unattended use, let the agents call huddle's tools without asking (not written; add it yourself):");
                missing.forEach(p -> out.println(String.format("  %-12s %s: %s", p.client(), p.file(), p.rule())));
            }
            if (!granted.isEmpty()) out.println("huddle's tools already run without asking in " + String.join(", ", granted) + ".");
        }
    }

    private boolean hasBackups() {
        return written.values().stream().anyMatch(w -> w.backup() != null);
    }

    private String state(FilePlan f) {
        if (!f.changed()) return "unchanged";
        String s = f.created() ? "created" : uninstall && f.after().isBlank() ? "emptied" : "updated";
        if (dryRun) return "would be " + s;
        ConfigWriter.Written w = written.get(f.path());
        return w != null && w.backup() != null ? s + " (backup " + w.backup().getFileName() + ")" : s;
    }

    private void addNotes() {
        if (uninstall || !plan.ok()) return;
        if (!ctx.curl()) {
            notes.add("curl is not on PATH, so the hooks run `huddle hook` (a JVM start each, slower). Install curl and run"
                    + " huddle setup again to switch them to curl.");
        }
        for (HookClient c : clients) {
            Path hooksFile = files(c).hooksFile();
            if (plan.files().stream().anyMatch(f -> f.client() == c && f.changed() && f.path().equals(hooksFile))) {
                setup(c).hooksWrittenNote().ifPresent(notes::add);
            }
        }
        for (HookClient c : clients) {
            // After the write, the files say whether the client can use huddle's tools unattended (a dry run: as they are now).
            setup(c).unattendedNote(ctx.home(), ctx.env(), scope == Scope.PROJECT ? ctx.projectRoot() : null).ifPresent(notes::add);
        }
        if (scope == Scope.PROJECT) {
            List<String> each = clients.stream().flatMap(c -> setup(c).projectScopeNote().stream()).toList();
            notes.add("Project scope: " + (each.isEmpty() ? "" : String.join(", ", each) + ", and ")
                    + "the launcher path written is this machine's.");
        }
        if (plan.changesAnything()) {
            notes.add("Agent sessions that are already running load the new MCP server and hooks when they restart.");
        }
    }

    private ClientFiles files(HookClient c) {
        return ClientFiles.of(c, scope, ctx.home(), ctx.env(), ctx.projectRoot());
    }

    private static ClientSetup setup(HookClient c) {
        return AgentClients.installed().of(c).setup();
    }

    /** How to let a client's agent call huddle's tools without asking: which file, and the entry (setup does not write it). */
    private record Permission(String client, String file, String rule, boolean granted) {}

    private List<Permission> permissions() {
        List<Permission> out = new ArrayList<>();
        for (HookClient c : clients) {
            ClientSetup.AutoApproval a = files(c).autoApproval();
            out.add(new Permission(ClientFiles.displayName(c), a.where(), a.rule(), a.granted()));
        }
        return out;
    }

    /** What {@code --json} prints (keys with null values are kept: scripts read them). */
    private record JsonReport(boolean ok, String action, boolean dryRun, String scope, List<String> clients, String launcher,
                        String hookTransport, String httpSocket, Integer hooksVersion, List<FileJson> files, List<String> problems,
                        List<String> notes, List<Permission> permissions) {}

    private record FileJson(String client, String path, String state, boolean written, @KeepNull String backup,
                            List<ChangeJson> changes, String diff) {}

    private record ChangeJson(String item, String action, @KeepNull String detail) {}

    private JsonReport json() {
        List<FileJson> files = new ArrayList<>();
        for (FilePlan f : plan.files()) {
            ConfigWriter.Written w = written.get(f.path());
            files.add(new FileJson(f.client().id(), f.path().toString(), !f.changed() ? "unchanged" : f.created() ? "created" : "updated",
                    written.containsKey(f.path()), w == null || w.backup() == null ? null : w.backup().toString(),
                    f.changes().stream().map(ch -> new ChangeJson(ch.item(), ch.action().label(), ch.detail())).toList(),
                    dryRun && f.changed() ? TextDiff.unified(f.before(), f.after()) : null));
        }
        return new JsonReport(plan.ok() && failure == null, uninstall ? "uninstall" : "setup", dryRun, scope.id(),
                clients.stream().map(HookClient::id).toList(), uninstall ? null : String.valueOf(ctx.launcher()),
                uninstall ? null : ctx.curl() ? "curl" : "launcher", uninstall ? null : ctx.httpSocket().toString(),
                uninstall ? null : HookCatalog.VERSION, files, failure == null ? plan.problems() : List.of(failure), notes,
                uninstall ? null : permissions());
    }
}
