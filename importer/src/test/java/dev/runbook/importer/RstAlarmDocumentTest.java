package dev.runbook.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.model.InputValue;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.StepKind;
import dev.runbook.engine.model.Template;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The MRS 3.x reStructuredText shape: attribute and parameter tables, {@code #.} steps that
 * explicit numbers continue after bold sub-headings, {@code .. _label:} anchors, ":ref:" go-tos,
 * "as user **omm**", "Run the **…** command", waits, the "Collect fault information" tail.
 */
class RstAlarmDocumentTest {

  private static final String DOC = "mrs_3.x__alm-99017_spool_disk_usage_exceeds_the_threshold.rst";
  private final Imports.Imported imported = Imports.resource(DOC);

  @Test
  void idsTitleSourceAndSeverityComeFromTheDocument() {
    var rb = imported.runbook();
    assertThat(rb.id()).isEqualTo("ALM-99017");
    assertThat(rb.alarms()).containsExactly("ALM-99017", "99017");
    assertThat(rb.title()).isEqualTo("Spool Disk Usage Exceeds the Threshold");
    assertThat(rb.severity()).isEqualTo("minor");
    assertThat(rb.source().document()).isEqualTo(DOC);
    assertThat(rb.source().section()).isEqualTo("ALM-99017 Spool Disk Usage Exceeds the Threshold");
    assertThat(rb.source().applies()).isEqualTo("MRS 3.x");
    assertThat(rb.source().url()).isEqualTo("ALM-99017.html#ALM-99017");
  }

  @Test
  void theParameterTableBecomesParametersAndTheAlarmHostIsRequired() {
    var params = imported.runbook().params();
    assertThat(params.keySet()).containsExactly("Source", "HostName", "SpoolDir");
    assertThat(params.get("HostName").required()).isTrue();
    assertThat(params.get("HostName").type().name()).isEqualTo("HOST");
    assertThat(params.get("Source").required()).isFalse();
    assertThat(imported.runbook().targets()).containsOnlyKeys("alarm-host-omm", "local");
    assertThat(imported.yaml())
        .contains("alarm-host-omm: {ssh: \"${params.HostName}\", user: omm}");
  }

  @Test
  void everyGoToIsABranchToTheStepWithThatRef() {
    assertThat(imported.edges())
        .containsExactly(
            "1 no -> 2",
            "1 yes -> 3",
            "2 no -> 3",
            "2 yes -> resolved",
            "4 no -> 7",
            "4 yes -> 5",
            "5 no -> 6",
            "5 yes -> resolved",
            "6 no -> 7",
            "6 yes -> resolved");
  }

  @Test
  void everyNumberedStepKeepsItsNumberAsRef() {
    assertThat(imported.steps().stream().map(Step::ref).distinct())
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "10");
  }

  @Test
  void commandsRunOnTheAlarmHostAsTheUserTheDocumentNames() {
    Step df = imported.step("step-4");
    assertThat(df.ref()).isEqualTo("4");
    StepKind.ActionCall call = (StepKind.ActionCall) df.kind();
    assertThat(call.action()).isEqualTo("shell");
    assertThat(command(call)).isEqualTo("df -h | grep spool");
    assertThat(call.changes()).isFalse();
    assertThat(df.on().raw()).isEqualTo("alarm-host-omm");
    StepKind.ActionCall clean = (StepKind.ActionCall) imported.step("step-5").kind();
    assertThat(command(clean)).isEqualTo("sh ${BIGDATA_HOME}/tools/clean_spool.sh");
    assertThat(clean.changes()).isTrue();
  }

  @Test
  void aLoginForLaterCommandsChecksTheLoginWithoutChangingAnything() {
    Step login = imported.step("step-3");
    StepKind.ActionCall call = (StepKind.ActionCall) login.kind();
    assertThat(command(call)).isEqualTo("id -un");
    assertThat(call.changes()).isFalse();
  }

  @Test
  void aConditionOnCommandOutputIsAQuestionAndATodo() {
    Step check = imported.step("step-4-check");
    assertThat(check.kind()).isInstanceOf(StepKind.Ask.class);
    assertThat(imported.yaml())
        .contains("# TODO(import): the answer to step 4 is in the output of 'df -h | grep spool'");
  }

  @Test
  void aCommandWithAPlaceholderIsForAPerson() {
    List<Step> six = imported.withRef("6");
    assertThat(six.get(0).kind()).isInstanceOf(StepKind.Manual.class);
    assertThat(imported.yaml())
        .contains(
            "# TODO(import): 'ls -l <Spool directory>' needs a value the document does not give (Spool directory)");
  }

  @Test
  void waitsAreCallsOfTheSharedWaitThenCheckCleared() {
    Step two = imported.withRef("2").get(1);
    StepKind.Call call = (StepKind.Call) two.kind();
    assertThat(call.procedure()).isEqualTo("wait-then-check-cleared");
    assertThat(call.with().get("wait").raw()).isEqualTo("2m");
    assertThat(call.with().get("alarm").raw()).isEqualTo("ALM-99017");
    StepKind.Call five = (StepKind.Call) imported.step("step-5-cleared").kind();
    assertThat(five.with().get("wait").raw()).isEqualTo("5m");
    assertThat(imported.runbook().procedures()).containsKey("wait-then-check-cleared");
  }

  @Test
  void theCollectionTailIsOneCallThenTheEscalation() {
    Step collect = imported.step("step-7");
    assertThat(collect.ref()).isEqualTo("7");
    StepKind.Call call = (StepKind.Call) collect.kind();
    assertThat(call.procedure()).isEqualTo("collect-fault-information");
    assertThat(call.with().get("services").raw()).isEqualTo("Spool");
    assertThat(call.with().get("window").raw()).isEqualTo("30 minutes");
    Step contact = imported.step("step-10");
    assertThat(contact.kind())
        .isEqualTo(
            new StepKind.End(
                Outcome.ESCALATED,
                "Contact the O&M personnel and send the collected log information."));
  }

  @Test
  void theReportCountsStepsEdgesAndTodos() {
    assertThat(imported.imported().steps()).isEqualTo(imported.steps().size());
    assertThat(imported.imported().edges()).isEqualTo(7);
    assertThat(imported.imported().todos()).isEqualTo(countTodos(imported.yaml()));
    assertThat(imported.imported().todos()).isEqualTo(2);
  }

  static int countTodos(String yaml) {
    return (int) yaml.lines().filter(l -> l.strip().startsWith("# TODO(import):")).count();
  }

  static String command(StepKind.ActionCall call) {
    InputValue value = call.inputs().get("command");
    Template template = ((InputValue.Scalar) value).value();
    return template.raw();
  }
}
