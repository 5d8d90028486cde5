package dev.runbook.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.runbook.fixtures.EngineInternals;
import org.junit.jupiter.api.Test;

/**
 * The command line drives the engine through its facade only ({@code dev.runbook.engine.Engine} and
 * its request and result types), reads the model, draws graphs (the graph package's read-only
 * structure), and reads trails (the audit package): any other engine package is the engine's own
 * business, so a second caller (the alarm server) needs nothing the command line has.
 */
class ArchitectureTest {

  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.runbook.cli");

  @Test
  void theCommandLineUsesTheFacadeTheModelAndTheTrailsOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(EngineInternals.PACKAGES)
        .because("a second caller of the engine must need nothing from the command line")
        .check(CLI);
  }

  @Test
  void theCommandLineNeverTouchesAPluginsLibraries() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.jcraft..", "org.bouncycastle..", "org.apache.commons.exec..")
        .check(CLI);
  }
}
