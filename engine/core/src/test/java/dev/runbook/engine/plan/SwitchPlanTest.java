package dev.runbook.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.graph.GraphExport;
import dev.runbook.engine.model.Runbook;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dry run and the graph show a multi-way step's cases; {@code --assume STEP=CASE} picks one. */
class SwitchPlanTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: sw
          title: ntp, chrony or both
          steps:
            - id: detect
              cmd: systemctl is-active chronyd ntpd
            - id: which
              ref: "4"
              switch: steps['detect'].stdout
              cases: {ntp: use-ntp, chrony: use-chrony, both: {end: escalated}}
              default: ask-person
            - {id: use-ntp, cmd: ntpq -p, next: done}
            - {id: use-chrony, cmd: chronyc sources, next: done}
            - id: ask-person
              ask: Which time service does the node use?
              cases: {ntp: use-ntp, chrony: use-chrony}
              default: {end: escalated, message: neither}
            - {id: done, end: resolved}
          """);

  private static Plan plan(Map<String, String> assumptions) {
    return new Planner(TestRunbooks.REGISTRY).plan(RUNBOOK, Map.of(), assumptions);
  }

  @Test
  void theWholeGraphShowsEachCaseAndTheDefault() {
    PlannedStep which = plan(Map.of()).steps().get(1);
    assertThat(which.kind()).isEqualTo("switch");
    assertThat(which.condition()).isEqualTo("steps['detect'].stdout");
    assertThat(which.branches())
        .containsExactly(
            Map.entry("case ntp", "use-ntp"),
            Map.entry("case chrony", "use-chrony"),
            Map.entry("case both", "end: escalated"),
            Map.entry("default", "ask-person"));
  }

  @Test
  void anAssumedCaseSelectsItsPath() {
    Plan plan = plan(Map.of("which", "chrony"));
    assertThat(plan.steps())
        .extracting(PlannedStep::id)
        .containsExactly("detect", "which", "use-chrony", "done");
    assertThat(plan.pathEnd()).isEqualTo("end: resolved");
    assertThat(plan.assumptions()).containsExactly(Map.entry("which", "chrony"));
    Plan other = plan(Map.of("which", "other", "ask-person", "other"));
    assertThat(other.steps())
        .extracting(PlannedStep::id)
        .containsExactly("detect", "which", "ask-person");
    assertThat(other.pathEnd()).isEqualTo("end: escalated (neither)");
  }

  @Test
  void withoutAnAssumptionThePathStopsSayingWhatToAssume() {
    assertThat(plan(Map.of("detect", "yes")).pathEnd())
        .isEqualTo("stops at 'which': decide with --assume which=ntp|chrony|both|other");
  }

  @Test
  void theGraphDrawsOneEdgePerCase() {
    String mermaid = GraphExport.mermaid(RUNBOOK);
    assertThat(mermaid)
        .contains("main__which{\"[4] which<br/>switch steps['detect'].stdout\"}")
        .contains("main__which -->|ntp| main__use_ntp")
        .contains("main__which -->|chrony| main__use_chrony")
        .contains("main__which -->|both| end__escalated")
        .contains("main__which -->|default| main__ask_person")
        .contains("main__ask_person -->|default| end__escalated")
        .doesNotContain("main__which --> main__use_ntp");
    assertThat(GraphExport.dot(RUNBOOK))
        .contains("main__which -> main__use_chrony [label=\"chrony\"];");
  }
}
