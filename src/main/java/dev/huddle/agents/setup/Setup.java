package dev.huddle.agents.setup;

import dev.huddle.agents.ClientSetup.McpEntry;
import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookSpec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans {@code huddle setup} and {@code huddle uninstall}: per client, the MCP server entry and the hooks, edited
 * in memory from the files' current text. A file that does not parse, has an unexpected shape, or cannot be
 * written is a problem, and a plan with problems writes nothing ({@link ConfigWriter} applies a clean plan).
 */
public final class Setup {
    private final SetupContext ctx;
    private final Scope scope;
    private final boolean uninstall;
    private final Map<Path, Loaded> files = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** A file being edited: its original text and the document so far. */
    private static final class Loaded {
        final HookClient client;
        final String original;
        Object doc;
        final List<Change> changes = new ArrayList<>();

        Loaded(HookClient client, String original, Object doc) {
            this.client = client;
            this.original = original;
            this.doc = doc;
        }

        String text() {
            return doc instanceof JsoncDocument j ? j.text() : ((TomlDocument) doc).text();
        }
    }

    @FunctionalInterface
    private interface Edit<D> {
        D apply(D doc, List<Change> changes) throws ConfigProblem;
    }

    private Setup(SetupContext ctx, Scope scope, boolean uninstall) {
        this.ctx = ctx;
        this.scope = scope;
        this.uninstall = uninstall;
    }

    public static SetupPlan install(SetupContext ctx, List<HookClient> clients, Scope scope) {
        return new Setup(ctx, scope, false).plan(clients);
    }

    /** The handler setup installs for {@code spec} (a command, or a URL the client POSTs to), as it appears in the client's settings. */
    public static Map<String, Object> handler(HookSpec spec, SetupContext ctx) {
        return JsonHooks.handler(spec, ctx);
    }

    public static SetupPlan uninstall(SetupContext ctx, List<HookClient> clients, Scope scope) {
        return new Setup(ctx, scope, true).plan(clients);
    }

    private SetupPlan plan(List<HookClient> clients) {
        for (HookClient client : clients) {
            ClientFiles f = ClientFiles.of(client, scope, ctx.home(), ctx.env(), ctx.projectRoot());
            Edit<JsoncDocument> hooks = uninstall ? JsonHooks::uninstall
                    : (doc, ch) -> JsonHooks.install(doc, HookCatalog.forClient(client), ctx, ch);
            switch (ClientFiles.setup(client).mcpEntry()) {
                case McpEntry.Json entry -> json(f.mcpFile(), client, uninstall ? (doc, ch) -> McpEntries.unregisterJson(doc, ch)
                        : (doc, ch) -> McpEntries.registerJson(doc, entry, ctx, ch));
                case McpEntry.Toml entry -> toml(f.mcpFile(), client, uninstall ? McpEntries::unregisterToml
                        : (doc, ch) -> McpEntries.registerToml(doc, entry, ctx, ch));
            }
            json(f.hooksFile(), client, hooks);
        }
        List<FilePlan> plans = new ArrayList<>();
        files.forEach((path, l) -> {
            if (l.doc == null) return;
            FilePlan p = new FilePlan(l.client, scope, path, l.original, l.text(), List.copyOf(l.changes));
            if (p.changed()) {
                String why = ConfigWriter.whyNotWritable(path);
                if (why != null) problems.add(why);
            }
            plans.add(p);
        });
        return new SetupPlan(plans, List.copyOf(problems));
    }

    private void json(Path path, HookClient client, Edit<JsoncDocument> edit) {
        Loaded l = load(path, client, text -> {
            try {
                return JsoncDocument.parse(text);
            } catch (JsoncException e) {
                throw new ConfigProblem(e.getMessage());
            }
        });
        if (l == null || l.doc == null) return;
        try {
            l.doc = edit.apply((JsoncDocument) l.doc, l.changes);
        } catch (ConfigProblem e) {
            refuse(path, client, e.getMessage());
            l.doc = null;
        }
    }

    private void toml(Path path, HookClient client, Edit<TomlDocument> edit) {
        Loaded l = load(path, client, TomlDocument::parse);
        if (l == null || l.doc == null) return;
        try {
            l.doc = edit.apply((TomlDocument) l.doc, l.changes);
        } catch (ConfigProblem e) {
            refuse(path, client, e.getMessage());
            l.doc = null;
        }
    }

    @FunctionalInterface
    private interface Parser {
        Object parse(String text) throws ConfigProblem;
    }

    /** The file as edited so far, or freshly read; null when there is nothing to do (uninstall, no file). */
    private Loaded load(Path path, HookClient client, Parser parser) {
        if (files.containsKey(path)) return files.get(path);
        String text;
        try {
            if (Files.isDirectory(path)) throw new IOException("it is a directory");
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (uninstall) return null;
            text = null;
        } catch (CharacterCodingException e) {
            refuse(path, client, "it is not UTF-8 text");
            return remember(path, new Loaded(client, null, null));
        } catch (IOException e) {
            refuse(path, client, "cannot read it (" + e.getMessage() + ")");
            return remember(path, new Loaded(client, null, null));
        }
        try {
            return remember(path, new Loaded(client, text, parser.parse(text == null ? "" : text)));
        } catch (ConfigProblem e) {
            refuse(path, client, e.getMessage());
            return remember(path, new Loaded(client, text, null));
        }
    }

    private Loaded remember(Path path, Loaded l) {
        files.put(path, l);
        return l;
    }

    private void refuse(Path path, HookClient client, String what) {
        String verb = uninstall ? "huddle uninstall" : "huddle setup";
        problems.add(path + ": " + what + ". " + verb + " changed no file. Fix " + path + " (" + ClientFiles.displayName(client)
                + " needs it to be valid too) or move it aside, then run " + verb + " again; or leave this client out with --client.");
    }
}
