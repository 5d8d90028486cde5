package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.importer.document.Edition;
import org.junit.jupiter.api.Test;

/**
 * The edition for versions earlier than MRS 3.x: lettered sub-steps ("1.d"), go-tos to them, a
 * numbered step whose sub-steps collect fault information; and the two editions of one alarm never
 * claim the same name.
 */
class EditionsTest {

  private static final String OLD =
      "versions_earlier_than_mrs_3.x__alm-99017_spool_disk_usage_is_high.rst";
  private static final String NEW = "mrs_3.x__alm-99017_spool_disk_usage_exceeds_the_threshold.rst";

  @Test
  void theOlderEditionHasItsOwnIdAndAnAliasAndNeverTheBareAlarmIds() {
    var old = Imports.resource(OLD);
    var current = Imports.resource(NEW);
    assertThat(old.runbook().id()).isEqualTo("ALM-99017-pre3");
    assertThat(old.runbook().alarms()).containsExactly("ALM-99017@pre-3.x");
    assertThat(old.runbook().source().applies()).isEqualTo("versions earlier than MRS 3.x");
    assertThat(current.runbook().answersTo("ALM-99017")).isTrue();
    assertThat(current.runbook().answersTo("99017")).isTrue();
    assertThat(old.runbook().answersTo("ALM-99017")).isFalse();
    assertThat(old.runbook().answersTo("99017")).isFalse();
    assertThat(old.runbook().answersTo("alm-99017@PRE-3.X")).isTrue();
  }

  @Test
  void subStepsKeepTheirLetteredNumbersAndGoTosReachThem() {
    var old = Imports.resource(OLD);
    assertThat(old.edges())
        .containsExactly("1.c no -> 2", "1.c yes -> 1.d", "1.d no -> 2", "1.d yes -> resolved");
    assertThat(old.steps().stream().map(Step::ref).distinct())
        .containsExactly("1", "1.a", "1.b", "1.c", "1.d", "2", "2.b");
  }

  @Test
  void aStepWhoseSubStepsCollectLogsIsOneCallWithItsNumber() {
    var old = Imports.resource(OLD);
    Step collect = old.step("step-2");
    assertThat(((StepKind.Call) collect.kind()).procedure()).isEqualTo("collect-fault-information");
    assertThat(((StepKind.Call) collect.kind()).with().get("how").raw())
        .isEqualTo("On MRS Manager, choose System > Export Log.");
    assertThat(old.step("step-2b").kind()).isInstanceOf(StepKind.End.class);
  }

  @Test
  void aStepThatOnlyHeadsSubStepsTheGoTosPassByIsACommentAboveThem() {
    String doc =
        """
        ALM-99019 Relay Process Fault
        =============================

        Procedure
        ---------

        #. Check the node.

           a. Check whether the node is faulty.

              -  If yes, go to :ref:`1.b <x__1b>`.
              -  If no, go to :ref:`2.a <x__2a>`.

           b. .. _x__1b:

              Repair the node. No further action is required.

        #. Check the process.

           a. .. _x__2a:

              Check whether the process runs.

              -  If yes, no further action is required.
              -  If no, go to :ref:`3 <x__3>`.

        #. .. _x__3:

           Contact technical support engineers for help.
        """;
    var imported = Imports.text("versions_earlier_than_mrs_3.x__alm-99019_relay.rst", doc);
    assertThat(imported.withRef("2")).isEmpty();
    assertThat(imported.edges())
        .containsExactly("1.a no -> 2.a", "1.a yes -> 1.b", "2.a no -> 3", "2.a yes -> resolved");
    assertThat(imported.yaml())
        .contains("  # step 2 of the document: Check the process\n  - id: step-2a");
  }

  @Test
  void theEditionOptionOverridesTheFileName() {
    var forced = Imports.resource(NEW, Edition.PRE_3);
    assertThat(forced.runbook().id()).isEqualTo("ALM-99017-pre3");
    var plain = Imports.resource(OLD, Edition.CURRENT);
    assertThat(plain.runbook().id()).isEqualTo("ALM-99017");
  }

  @Test
  void theOlderEditionSaysHowToRunIt() {
    assertThat(Imports.resource(OLD).yaml())
        .contains(
            "# The edition for versions earlier than MRS 3.x: run it as ALM-99017-pre3; ALM-99017 selects the MRS 3.x edition.");
  }
}
