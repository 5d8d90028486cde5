package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Trigger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code trigger:} read and checked, every mistake named with file:line:column. */
class TriggerParserTest {

  private static String runbook(String trigger) {
    return """
        runbook: ALM-7
        title: Disk almost full
        alarms: [ALM-7]
        params:
          HostName: {type: host, required: true}
          Mount: {type: path, default: /}
        """
        + trigger
        + """
        steps:
          - {id: confirm-host, manual: Check the host}
          - {id: clean, cmd: rm -f /tmp/x, changes: true}
          - {id: done, end: resolved}
        """;
  }

  @Test
  void readsMatchersTemplatesPolicyAndAnswers() {
    Runbook rb =
        TestRunbooks.valid(
            runbook(
                """
                trigger:
                  matchers: [severity=critical, 'env!="test"', cluster=~prod-.*]
                  params: {HostName: "${labels.instance}", Mount: "/data/${labels.volume}"}
                  policy: auto
                  answers: {confirm-host: yes}
                """));
    Trigger t = rb.trigger();
    assertThat(t.policy()).isEqualTo(Trigger.Policy.AUTO);
    assertThat(t.answerValues()).isEqualTo(Map.of("confirm-host", "yes"));
    assertThat(t.matches(Map.of("severity", "critical", "cluster", "prod-eu"))).isTrue();
    assertThat(t.matches(Map.of("severity", "critical", "cluster", "prod-eu", "env", "test")))
        .isFalse();
    assertThat(t.matches(Map.of("severity", "major", "cluster", "prod-eu"))).isFalse();
    assertThat(t.matches(Map.of("severity", "critical", "cluster", "dev"))).isFalse();
    assertThat(
            t.values(
                Map.of("instance", "mrs-node-1", "volume", "v1", "HostName", "ignored"),
                rb.params().keySet()))
        .containsExactly(Map.entry("HostName", "mrs-node-1"), Map.entry("Mount", "/data/v1"));
    assertThat(t.values(Map.of("HostName", "n2"), rb.params().keySet()))
        .as(
            "a template naming a missing label gives no value; a label named like the parameter does")
        .containsExactly(Map.entry("HostName", "n2"));
  }

  @Test
  void withoutATriggerTheDefaultsApply() {
    Trigger t = TestRunbooks.valid(runbook("")).trigger();
    assertThat(t.policy()).isEqualTo(Trigger.Policy.APPROVE);
    assertThat(t.matches(Map.of())).isTrue();
    assertThat(t.values(Map.of("HostName", "n1", "other", "x"), List.of("HostName", "Mount")))
        .containsExactly(Map.entry("HostName", "n1"));
  }

  @Test
  void everyMistakeIsNamedWhereItIs() {
    List<String> problems =
        TestRunbooks.problems(
            runbook(
                """
                trigger:
                  matchers: [severity, "cluster=~prod-(", 3]
                  params: {Hostname: "${labels.instance}", Mount: "${params.Mount}"}
                  policy: automatic
                  answers: {confirm-hots: yes, clean: yes, done: maybe}
                  when: always
                """));
    assertThat(problems)
        .containsExactly(
            "test.yaml:8:14: trigger: matcher 'severity' is not LABEL=VALUE, LABEL!=VALUE,"
                + " LABEL=~REGEX or LABEL!~REGEX",
            "test.yaml:8:25: trigger: matcher 'cluster=~prod-(': not a regular expression"
                + " (Unclosed group)",
            "test.yaml:8:43: trigger: matcher '3' is not LABEL=VALUE, LABEL!=VALUE,"
                + " LABEL=~REGEX or LABEL!~REGEX",
            "test.yaml:9:12: trigger: params: runbook ALM-7 has no parameter 'Hostname' (did you"
                + " mean 'HostName'?)",
            "test.yaml:9:52: trigger: params: 'Mount': ${params.Mount} is not a label; a trigger"
                + " fills parameters from the alert's labels only: ${labels.NAME}",
            "test.yaml:10:11: trigger: unknown policy 'automatic'; use"
                + " approve (pause before the first change, the default), auto or plan",
            "test.yaml:11:13: trigger: answers: runbook ALM-7 has no step 'confirm-hots' (did you"
                + " mean 'confirm-host'?)",
            "test.yaml:11:32: trigger: answers: step 'clean' is action, not a question (ask) or a"
                + " manual step; an alert can answer only those",
            "test.yaml:11:50: trigger: answers: 'done' must be yes or no, not 'maybe'",
            "test.yaml:12:3: runbook file: 'trigger': unknown field 'when'");
  }
}
