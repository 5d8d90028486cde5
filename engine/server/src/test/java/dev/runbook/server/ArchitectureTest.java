package dev.runbook.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.runbook.fixtures.EngineInternals;
import org.junit.jupiter.api.Test;

/**
 * The alarm server is the engine's second caller: like the command line, it drives the engine
 * through its facade ({@code dev.runbook.engine.Engine} and its request and result types), reads
 * the model and the trails, and nothing else of the engine; and it needs nothing of the command
 * line.
 */
class ArchitectureTest {

  private static final JavaClasses SERVER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.runbook.server");

  @Test
  void theServerUsesTheFacadeTheModelAndTheTrailsOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(EngineInternals.PACKAGES)
        .because("a second caller of the engine must need nothing but the facade")
        .check(SERVER);
  }

  @Test
  void theServerNeedsNothingOfTheCommandLineNorOfAPlugin() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.runbook.cli..", "dev.runbook.plugins..", "picocli..")
        .check(SERVER);
  }

  @Test
  void theServerReachesASharedStoreThroughInterfacesOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "org.postgresql..",
            "com.zaxxer..",
            "org.flywaydb..",
            "dev.runbook.store..")
        .because(
            "serve --store finds its queue through ServiceLoader; the CLI adds the store module"
                + " at run time, so the server carries no JDBC")
        .check(SERVER);
  }
}
