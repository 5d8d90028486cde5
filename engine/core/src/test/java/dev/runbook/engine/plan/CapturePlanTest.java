package dev.runbook.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Plan;
import dev.runbook.engine.PlannedStep;
import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Runbook;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dry run shows {@code <captured by STEP>} wherever a captured value would go. */
class CapturePlanTest {

  private static final Runbook RUNBOOK =
      TestRunbooks.valid(
          """
          runbook: cap
          title: The host is learnt from the alarm's Location
          targets:
            alarm-host: {ssh: "${captured.AlarmHost}", user: omm}
          steps:
            - id: find-host
              ask: Which host is the alarm on (Location)?
              capture: {name: AlarmHost, type: host}
            - id: check
              on: alarm-host
              cmd: ping -c1 ${captured.AlarmHost}
            - id: confirm
              manual: Is ${captured.AlarmHost} the host the alarm names?
          """);

  @Test
  void theCapturingStepAndTheValuesPlacesAreShown() {
    TestRunbooks.PLUGIN.executed.clear();
    Plan plan = new Planner(TestRunbooks.REGISTRY).plan(RUNBOOK, Map.of(), Map.of());
    assertThat(TestRunbooks.PLUGIN.executed).isEmpty();
    PlannedStep ask = plan.steps().get(0);
    assertThat(ask.detail())
        .isEqualTo(
            "Which host is the alarm on (Location)?\n"
                + "captures AlarmHost (host), for ${captured.AlarmHost}");
    assertThat(ask.branches()).containsExactly(Map.entry("next", "check"));
    PlannedStep check = plan.steps().get(1);
    assertThat(check.target()).isEqualTo("omm@<captured by find-host> (ssh)");
    assertThat(check.command()).isEqualTo("ping -c1 \"${RB_CAPTURED_AlarmHost}\"");
    assertThat(check.environment())
        .containsExactly(Map.entry("RB_CAPTURED_AlarmHost", "<captured by find-host>"));
    assertThat(plan.steps().get(2).detail())
        .isEqualTo("Is <captured by find-host> the host the alarm names?");
    assertThat(plan.unresolved()).isEmpty();
  }
}
