package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import org.junit.jupiter.api.Test;

/** The ways vendor documents write a branch, each checked by the refs its edges reach. */
class CaseShapesTest {

  /** A 3.x alarm document with this procedure. */
  static Imports.Imported procedure(String body) {
    String doc =
        ":original_name: ALM-99100.html\n\n.. _ALM-99100:\n\nALM-99100 Relay Test Alarm\n"
            + "==========================\n\nProcedure\n---------\n\n"
            + body
            + "\nAlarm Clearing\n--------------\n\nAfter the fault is rectified, the alarm is cleared.\n";
    return Imports.text("mrs_3.x__alm-99100_relay_test_alarm.rst", doc);
  }

  @Test
  void goToVariants() {
    var imported =
        procedure(
            """
            #. Check whether the relay is running.

               -  If it is, go to :ref:`3 <x__l3>`.
               -  If it is not, goto :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Check whether the relay can be started.

               -  If they are, start it. Then, perform :ref:`3 <x__l3>`.
               -  If they are not, the relay is broken. Then go to :ref:`4 <x__l4>`.

            #. .. _x__l3:

               Check whether messages flow.

               -  If yes, no further action is required.
               -  If no, go to step 4.

            #. .. _x__l4:

               Contact O&M personnel.
            """);
    assertThat(imported.edges())
        .containsExactly(
            "1 no -> 2", "1 yes -> 3", "2 no -> 4", "2 yes -> 3", "3 no -> 4", "3 yes -> resolved");
    assertThat(((StepKind.Ask) imported.step("step-2").kind()).question().raw())
        .contains("If they are: start it. Then, perform 3.");
  }

  @Test
  void casesWrittenAsParagraphs() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

               If yes, go to :ref:`3 <x__l3>`.

               If no, go to :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Restart the relay.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
  }

  @Test
  void casesInOneSentenceAndAnswersWithoutIf() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers. If yes, go to the step 3; if no, go to :ref:`Step 2 <x__l2>`.

            #. .. _x__l2:

               Check whether the port is open.

               -  Yes: go to step 3.
               -  No, go to step 4.

            #. Restart the relay. No further action is required.

            #. Contact O&M personnel.
            """);
    assertThat(imported.edges())
        .containsExactly("1 no -> 2", "1 yes -> 3", "2 no -> 4", "2 yes -> 3");
  }

  @Test
  void casesWhoseIndentationSlippedStillBelongToTheirStep() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

            -  If yes, go to :ref:`3 <x__l3>`.
            -  If no, go to :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Restart the relay.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
  }

  @Test
  void bothCasesInOneBullet() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

               -  If yes, go to :ref:`3 <x__l3>`. If no, go to :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Restart the relay.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
  }

  @Test
  void aBulletThatIsNoCaseAmongCasesIsANote() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

               -  The relay listens on port 9000.
               -  If yes, go to :ref:`3 <x__l3>`.
               -  If no, go to :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Restart the relay.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
    assertThat(((StepKind.Ask) imported.step("step-1").kind()).question().raw())
        .contains("- The relay listens on port 9000.");
  }

  @Test
  void aThreeWayBranchIsAskedOneCaseAtATimeWithTheSameRef() {
    var imported =
        procedure(
            """
            #. Run the **cat /etc/os-release** command to check the OS type.

               -  For Red Hat, go to :ref:`2 <x__l2>`.
               -  For SUSE, go to :ref:`3 <x__l3>`.
               -  For other OS types, go to :ref:`4 <x__l4>`.

            #. .. _x__l2:

               Follow the Red Hat guide. No further action is required.

            #. .. _x__l3:

               Follow the SUSE guide. No further action is required.

            #. .. _x__l4:

               Contact O&M personnel.
            """);
    assertThat(imported.edges())
        .containsExactly("1 no -> 1", "1 no -> 4", "1 yes -> 2", "1 yes -> 3");
    Step second = imported.step("step-1-case-2");
    assertThat(((StepKind.Ask) second.kind()).question().raw())
        .endsWith("Answer yes for SUSE; no for other OS types.");
    assertThat(imported.yaml())
        .contains("# a 3-way branch in the document, asked one case at a time");
  }

  @Test
  void twoConditionsInWordsAreAskedAsWhichOne() {
    var imported =
        procedure(
            """
            #. Check the dump mode.

               -  If the dump mode is FTP, go to :ref:`2 <x__l2>`.
               -  If the dump mode is SFTP, go to :ref:`3 <x__l3>`.

            #. .. _x__l2:

               Log in in FTP mode. No further action is required.

            #. .. _x__l3:

               Log in in SFTP mode. No further action is required.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 3", "1 yes -> 2");
    assertThat(((StepKind.Ask) imported.step("step-1").kind()).question().raw())
        .endsWith("Answer yes if the dump mode is FTP; no if the dump mode is SFTP.");
  }

  @Test
  void aCaseInsideACaseIsAQuestionOfItsOwn() {
    var imported =
        procedure(
            """
            #. Check whether the job is listed.

               -  If yes, check whether the job is abnormal.

                  -  If it is abnormal, go to :ref:`2 <x__l2>`.
                  -  If it is not, data processing is slow. Contact O&M personnel.

               -  If no, go to :ref:`3 <x__l3>`.

            #. .. _x__l2:

               Rectify the job. No further action is required.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges())
        .containsExactly("1 no -> 3", "1 no -> escalated", "1 yes -> 1", "1 yes -> 2");
    Step nested = imported.step("step-1-if-yes");
    assertThat(((StepKind.Ask) nested.kind()).question().raw())
        .startsWith("Check whether the job is abnormal.");
  }

  @Test
  void casesInRunningTextInsideACaseCheckTheAlarm() {
    var imported =
        procedure(
            """
            #. Check whether the crontab task is correct.

               -  If yes, check whether the alarm is cleared 5 minutes later. If the alarm is cleared, no further action is required. If the alarm persists, go to :ref:`2 <x__l2>`.
               -  If no, go to :ref:`2 <x__l2>`.

            #. .. _x__l2:

               Contact O&M personnel.
            """);
    Step nested = imported.step("step-1-if-yes");
    StepKind.Call call = (StepKind.Call) nested.kind();
    assertThat(call.procedure()).isEqualTo("wait-then-check-cleared");
    assertThat(call.with().get("wait").raw()).isEqualTo("5m");
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 1", "1 yes -> resolved");
  }

  @Test
  void aBranchThatNamesNoNextStepGoesOnAndSaysSo() {
    var imported =
        procedure(
            """
            #. Check whether the mutation is progressing.

               -  If yes, wait until the mutation task is complete.
               -  If no, go to :ref:`3 <x__l3>`.

            #. Check whether the alarm is cleared.

               -  If yes, no further action is required.
               -  If no, go to :ref:`3 <x__l3>`.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    Step wait = imported.step("step-1-if-yes");
    assertThat(((StepKind.Manual) wait.kind()).instruction().raw())
        .isEqualTo("Wait until the mutation task is complete.");
    assertThat(imported.yaml())
        .contains(
            "# TODO(import): 'If yes' in step 1 names no next step: the runbook goes on with step 2");
    assertThat(imported.edges()).contains("1 yes -> 1", "1 no -> 3");
  }

  @Test
  void aSingleCaseLeavesTheOtherAnswerToTheNextStep() {
    var imported =
        procedure(
            """
            #. Check whether the disk is faulty.

               -  If yes, go to :ref:`3 <x__l3>`.

            #. Replace the cable. No further action is required.

            #. .. _x__l3:

               Contact O&M personnel.
            """);
    assertThat(imported.edges()).containsExactly("1 no -> 2", "1 yes -> 3");
    assertThat(imported.yaml())
        .contains(
            "# TODO(import): step 1 says what to do only if 'yes': otherwise the runbook goes on with step 2");
  }

  @Test
  void aGoToBackIsACycleBoundedByMaxVisits() {
    var imported =
        procedure(
            """
            #. .. _x__l1:

               Restart the relay.

            #. Check whether the relay answers.

               -  If yes, no further action is required.
               -  If no, go to :ref:`1 <x__l1>`.
            """);
    assertThat(imported.edges()).containsExactly("2 no -> 1", "2 yes -> resolved");
    assertThat(imported.step("step-1").maxVisits()).isEqualTo(3);
  }

  @Test
  void aGoToAStepTheDocumentDoesNotHaveIsForAPerson() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

               -  If yes, no further action is required.
               -  If no, go to step 9.
            """);
    Step missing = imported.step("step-9-missing");
    assertThat(missing.kind()).isInstanceOf(StepKind.Manual.class);
    assertThat(imported.yaml())
        .contains("# TODO(import): step 9 is named by a go-to but is not in the document");
  }

  @Test
  void aStepNothingLeadsToIsReachedByAQuestion() {
    var imported =
        procedure(
            """
            #. Restart the relay. No further action is required.

            #. Replace the relay host.
            """);
    Step first = imported.step("step-1-end");
    assertThat(first.kind()).isInstanceOf(StepKind.Ask.class);
    assertThat(imported.edges()).containsExactly("1 no -> resolved", "1 yes -> 2");
    assertThat(imported.yaml())
        .contains("# TODO(import): step 2 is reached by no branch of the document");
  }

  @Test
  void aStepThatWouldFallIntoTheLogCollectionAsksWhetherTheAlarmIsCleared() {
    var imported =
        procedure(
            """
            #. Check whether the relay answers.

               -  If yes, go to :ref:`2 <x__l2>`.
               -  If no, go to :ref:`3 <x__l3>`.

            #. .. _x__l2:

               Clear the alarm by hand.

            **Collect fault information.**

            3. .. _x__l3:

               On MRS Manager, choose **O&M** > **Log** > **Download**.

            4. Contact O&M personnel and provide the collected logs.
            """);
    Step check = imported.step("step-2-cleared");
    assertThat(((StepKind.Call) check.kind()).procedure()).isEqualTo("wait-then-check-cleared");
    assertThat(imported.edges()).contains("2 yes -> resolved", "2 no -> 3");
  }
}
