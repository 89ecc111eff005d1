package dev.huddle.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package layering of ARCHITECTURE.md: dependencies point inward only, and nothing goes round in a circle. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.huddle");
    }

    @Test
    void layersPointInward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("protocol").definedBy("dev.huddle.protocol..")
                .layer("client").definedBy("dev.huddle.client..")
                .layer("core").definedBy("dev.huddle.core..")
                .layer("store").definedBy("dev.huddle.store..")
                .layer("agents").definedBy("dev.huddle.agents..")
                .layer("terminal").definedBy("dev.huddle.terminal..")
                .layer("hub").definedBy("dev.huddle.hub..")
                .layer("tools").definedBy("dev.huddle.tools..")
                .layer("cli").definedBy("dev.huddle.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("tools").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("hub").mayOnlyBeAccessedByLayers("cli", "tools")
                .whereLayer("store").mayOnlyBeAccessedByLayers("hub", "cli", "tools")
                .whereLayer("agents").mayOnlyBeAccessedByLayers("hub", "cli", "tools")
                .whereLayer("terminal").mayOnlyBeAccessedByLayers("agents", "hub", "cli", "tools")
                .whereLayer("core").mayOnlyBeAccessedByLayers("store", "agents", "terminal", "hub", "cli", "tools", "protocol")
                .check(classes);
    }

    @Test
    void coreIsPureJava() {
        // Paths are values here; reading files, sockets, processes and databases is for the outer layers.
        noClasses().that().resideInAPackage("dev.huddle.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "java.io..", "java.nio.channels..", "java.net..", "java.sql..", "io.modelcontextprotocol..",
                        "tools.jackson..", "org.eclipse..", "org.sqlite..", "picocli..", "reactor..", "dev.huddle.protocol..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessHandle")
                .check(classes);
    }

    @Test
    void wireAndTheFrontUseOnlyTheJdk() {
        classes().that().resideInAnyPackage("dev.huddle.protocol..", "dev.huddle.client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.huddle.protocol..", "dev.huddle.client..")
                .check(classes);
    }

    @Test
    void mainReachesOnlyTheFrontTheHubAndTheCli() {
        classes().that().haveFullyQualifiedName("dev.huddle.Main")
                .should().onlyDependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("java..", "dev.huddle.protocol..", "dev.huddle.client..", "dev.huddle.cli..")
                        .or(JavaClass.Predicates.equivalentTo(dev.huddle.hub.Hub.class)))
                .check(classes);
    }

    @Test
    void commandsNeverReachBackToTheRootCommand() {
        // exit codes live in ExitCodes, failures travel as ExitException: no command needs Cli
        noClasses().that().resideInAPackage("dev.huddle.cli..").and().doNotHaveFullyQualifiedName("dev.huddle.cli.Cli")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.huddle.cli.Cli")
                .check(classes);
    }

    @Test
    void theCommandsPackageSitsOnTopOfItsHelpers() {
        // cli.view (renderers), cli.watch (the dashboard) and cli.doctor are used by the commands, never the other way
        noClasses().that().resideInAnyPackage("dev.huddle.cli.view..", "dev.huddle.cli.watch..", "dev.huddle.cli.doctor..")
                .should().dependOnClassesThat().resideInAPackage("dev.huddle.cli")
                .check(classes);
        noClasses().that().resideInAPackage("dev.huddle.cli.view..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.huddle.cli.watch..", "dev.huddle.cli.doctor..", "picocli..")
                .check(classes);
    }

    @Test
    void theControlProtocolIsTypedOnBothSides() {
        // requests, replies and the cockpit snapshot are records of protocol, written and read by its one codec
        // (cli.doctor reads the clients' own config files, JSON with comments, and bench prints tools' reports)
        noClasses().that().resideInAnyPackage("dev.huddle.hub.control..", "dev.huddle.hub.cockpit..", "dev.huddle.cli",
                        "dev.huddle.cli.view..", "dev.huddle.cli.watch..")
                .and().doNotHaveFullyQualifiedName("dev.huddle.cli.BenchCommand")
                .should().dependOnClassesThat().resideInAPackage("tools.jackson..")
                .check(classes);
    }

    @Test
    void theFrontTouchesNoHeavyClasses() {
        // FrontMain may use wire and HubConnector/HubStarter; nothing that would pull in picocli, Jackson or the SDK.
        noClasses().that().haveFullyQualifiedName("dev.huddle.client.front.FrontMain")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.huddle.cli.Cli")
                .check(classes);
    }

    @Test
    void messagingReachesNoOtherRoomOfTheHubButIdentity() {
        // The other rooms call messaging, never the reverse: its wake decisions go out through its own port (Wakes).
        noClasses().that().resideInAPackage("dev.huddle.hub.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.huddle.hub", "dev.huddle.hub.wake..", "dev.huddle.hub.hooks..",
                        "dev.huddle.hub.mcp..", "dev.huddle.hub.control..", "dev.huddle.hub.cockpit..", "dev.huddle.hub.claims..",
                        "dev.huddle.hub.reading..")
                .check(classes);
    }

    @Test
    void toolsAreCalledByTheCliAndNeverReachBackIntoItOrIntoTheHub() {
        // The demo gets the CLI's renderers handed in; tools speak to a hub as any client does, over its sockets.
        noClasses().that().resideInAPackage("dev.huddle.tools..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.huddle.cli..", "dev.huddle.hub..")
                .check(classes);
    }

    @Test
    void storeIsReachedThroughInterfacesOutsideItsPackage() {
        noClasses().that().resideOutsideOfPackages("dev.huddle.store..")
                .and().doNotHaveFullyQualifiedName("dev.huddle.hub.Hub") // the composition root: opens the database
                .and().doNotHaveFullyQualifiedName("dev.huddle.hub.HubServices") // and builds the stores over it
                .and().haveNameNotMatching("dev\\.huddle\\.hub\\.(HubDatabase|StoreChoice|TeamStore)(\\$.*)?") // which store, opening it, checking it (team, doctor)
                .should().dependOnClassesThat().resideInAnyPackage("dev.huddle.store.sqlite..", "dev.huddle.store.postgres..")
                .check(classes);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        // every package of main, rooms of the hub included: the hub's root (Hub, HubServices, HubConfig) wires its
        // rooms and none of them reaches back into it
        slices().matching("dev.huddle.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noClassDependsOnItselfThroughOthers() {
        // a top-level class with its nested ones is one slice: a circle of two or more is a tangle to take apart
        slices().assignedFrom(TOP_LEVEL_CLASSES).should().beFreeOfCycles().check(classes);
    }

    private static final SliceAssignment TOP_LEVEL_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            if (!c.getPackageName().startsWith("dev.huddle")) return SliceIdentifier.ignore();
            String name = c.getName();
            int nested = name.indexOf('$');
            return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
        }

        @Override
        public String getDescription() {
            return "top-level classes of dev.huddle";
        }
    };
}
