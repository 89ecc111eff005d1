package dev.huddle.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookSpec;
import dev.huddle.core.identity.ClientType;
import dev.huddle.protocol.AgentEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.reflect.AccessFlag;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every client in its own package: only {@code agents.claude}, {@code agents.codex} and {@code agents.gemini} know a
 * client's tools, hook events, environment variables and quirks; everything else reaches them through
 * {@link AgentClient} ({@code protocol.AgentEnv}, the one allowlist of forwarded variables, is the sanctioned
 * exception). Adding a client is adding a package.
 */
class ClientKnowledgeTest {
    private static final String[] CLIENT_PACKAGES = {"dev.huddle.agents.claude..", "dev.huddle.agents.codex..", "dev.huddle.agents.gemini.."};
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.huddle");
    }

    @Test
    void theHubAndTheSharedMachineryReachClientsOnlyThroughTheInterface() {
        // tools (bench, demo) play the clients' parts and may use a client's own reader (the bench reads a Claude Code transcript)
        noClasses().that().resideOutsideOfPackages(CLIENT_PACKAGES).and().resideOutsideOfPackage("dev.huddle.tools..")
                .should().dependOnClassesThat().resideInAnyPackage(CLIENT_PACKAGES)
                .because("the hub, setup and the transcript and terminal machinery call AgentClient; AgentClients finds the clients")
                .check(classes);
    }

    @Test
    void clientsDoNotKnowEachOther() {
        for (String own : CLIENT_PACKAGES) {
            List<String> others = Stream.of(CLIENT_PACKAGES).filter(p -> !p.equals(own)).toList();
            noClasses().that().resideInAPackage(own).should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new))
                    .check(classes);
        }
    }

    @Test
    void nothingButAClientsPackageNamesAClient() {
        // the two enums that list the clients are where they are named; tools (bench, demo) play the clients' parts
        var rule = noClasses().that().resideOutsideOfPackages(CLIENT_PACKAGES).and().resideOutsideOfPackage("dev.huddle.tools..")
                .and().doNotBelongToAnyOf(ClientType.class, HookClient.class)
                .should().accessField(ClientType.class, ClientType.CLAUDE_CODE.name());
        for (ClientType t : EnumSet.of(ClientType.CODEX, ClientType.GEMINI)) rule = rule.orShould().accessField(ClientType.class, t.name());
        for (HookClient c : HookClient.values()) rule = rule.orShould().accessField(HookClient.class, c.name());
        rule.check(classes);
    }

    @Test
    void onlyAClientsPackageNamesItsToolsHookEventsAndVariables() throws IOException, URISyntaxException {
        Set<String> names = clientNames();
        assertThat(names).contains("apply_patch", "run_shell_command", "NotebookEdit", "PreToolUse", "BeforeTool", "CODEX_HOME",
                "CLAUDE_CODE_SESSION_ID", "CLAUDE", "CODEX_", "GEMINI_");
        Path root = Path.of(AgentClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/huddle"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.');
                if (mayName(name)) continue;
                ClassModel model = ClassFile.of().parse(file);
                Set<String> ownConstants = enumConstants(model);
                for (PoolEntry e : model.constantPool()) {
                    if (e instanceof StringEntry s && names.contains(s.stringValue()) && !ownConstants.contains(s.stringValue())) {
                        found.add(name + ": \"" + s.stringValue() + "\"");
                    }
                }
            }
        }
        assertThat(found).as("string constants that name a client's tools, hook events or variables outside its package").isEmpty();
    }

    /** An enum's own constants' names (its constant pool holds them): not a text naming anything. */
    private static Set<String> enumConstants(ClassModel model) {
        if (!model.flags().has(AccessFlag.ENUM)) return Set.of();
        Set<String> names = new TreeSet<>();
        for (FieldModel f : model.fields()) if (f.flags().has(AccessFlag.ENUM)) names.add(f.fieldName().stringValue());
        return names;
    }

    /**
     * The clients' tool names (their hooks' matchers), hook event names, their own environment variables, and the
     * words those variables start with ({@code CLAUDE}, {@code CODEX_}: what code that picks variables by prefix types).
     */
    private static Set<String> clientNames() {
        Set<String> names = new TreeSet<>();
        for (AgentClient c : AgentClients.installed().all()) {
            for (HookSpec s : c.hooks()) {
                names.add(s.event());
                if (s.matcher() != null) for (String tool : s.matcher().split("[^A-Za-z0-9_]+")) if (!tool.isEmpty()) names.add(tool);
            }
        }
        for (AgentEnv v : AgentEnv.values()) {
            boolean clients = v.uses().contains(AgentEnv.Use.IDENTITY) || v.uses().contains(AgentEnv.Use.TRANSCRIPT);
            if (clients && v != AgentEnv.HOME) {
                names.add(v.name());
                for (int i = v.name().indexOf('_'); i > 0; i = v.name().indexOf('_', i + 1)) names.add(v.name().substring(0, i + 1));
                names.add(v.name().split("_")[0]);
            }
        }
        return names;
    }

    private static boolean mayName(String className) {
        return className.startsWith("dev.huddle.agents.claude.") || className.startsWith("dev.huddle.agents.codex.")
                || className.startsWith("dev.huddle.agents.gemini.") || className.startsWith("dev.huddle.protocol.AgentEnv")
                || className.startsWith("dev.huddle.tools."); // bench and demo play the clients' parts
    }
}
