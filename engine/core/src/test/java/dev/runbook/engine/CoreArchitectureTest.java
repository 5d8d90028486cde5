package dev.runbook.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form a layering a reader can follow (model below parse, validate, the flow
 * walker and its drivers, audit), with no package needing one that needs it back; and the core
 * names no transport: SSH, Kubernetes and certificates are the plugins' business.
 */
class CoreArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.runbook.engine");

  @Test
  void theCorePackagesHaveNoCycles() {
    slices().matching("dev.runbook.engine.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void theModelDependsOnNoOtherCorePackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.engine.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.runbook.engine.parse..",
            "dev.runbook.engine.validate..",
            "dev.runbook.engine.execute..",
            "dev.runbook.engine.plan..",
            "dev.runbook.engine.flow..",
            "dev.runbook.engine.expr..",
            "dev.runbook.engine.audit..",
            "dev.runbook.engine.library..")
        .check(CORE);
  }

  @Test
  void theCoreNamesNoTransportLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.runbook.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.jcraft..",
            "org.bouncycastle..",
            "org.apache.commons.exec..",
            "io.fabric8..",
            "dev.runbook.plugins..")
        .check(CORE);
  }
}
