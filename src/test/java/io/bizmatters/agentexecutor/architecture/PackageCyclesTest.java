package io.bizmatters.agentexecutor.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package of the service is a room of docs/architecture.md's layout; a cycle between two
 * rooms means neither can be read, changed or moved without the other.
 */
class PackageCyclesTest {
    private static final String ROOT = "io.bizmatters.agentexecutor";

    /** The compiled main classes only; archunit.properties keeps ArchUnit from also reading every library they use. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        // Each package is its own slice: agent and agent.graph are two rooms, and may not import each other both ways.
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theRuleSeesEveryPackage() {
        // A rule that matched no class would pass on any code; make sure it looks at the service's packages.
        assertThat(MAIN.stream().map(type -> type.getPackageName()).distinct())
                .contains(ROOT + ".agent.definition", ROOT + ".agent.tools", ROOT + ".cloudevents", ROOT + ".jobs");
    }
}
