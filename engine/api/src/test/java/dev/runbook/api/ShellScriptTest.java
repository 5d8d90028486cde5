package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A shell line and its values: the values reach the process, never the line or the screen. */
class ShellScriptTest {

  private static ShellScript withPassword() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("RB_PARAM_Host", "node-1");
    env.put("RB_PARAM_Password", new Secret("hunter2hunter2"));
    return new ShellScript(
        "login \"${RB_PARAM_Host}\" -p'\"${RB_PARAM_Password}\"' ${RB_PARAM_Host}", env);
  }

  @Test
  void theProcessGetsTheRealValuesInOrder() {
    assertThat(withPassword().environment())
        .containsExactly(
            Map.entry("RB_PARAM_Host", "node-1"), Map.entry("RB_PARAM_Password", "hunter2hunter2"));
  }

  @Test
  void whatIsShownHasTheSecretMasked() {
    ShellScript script = withPassword();
    assertThat(script.shownEnvironment())
        .containsExactly(
            Map.entry("RB_PARAM_Host", "node-1"), Map.entry("RB_PARAM_Password", "****"));
    assertThat(script.readable()).isEqualTo("login node-1 -p**** node-1");
    assertThat(script.toString()).isEqualTo(script.script()).doesNotContain("hunter2");
    assertThat(script.script())
        .isEqualTo("login \"${RB_PARAM_Host}\" -p'\"${RB_PARAM_Password}\"' ${RB_PARAM_Host}");
  }

  @Test
  void onlyStringsAndSecretsAreValues() {
    assertThatThrownBy(() -> new ShellScript("x", Map.of("RB_PARAM_N", 42)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RB_PARAM_N must be a String or a Secret");
    assertThat(new ShellScript("x", Map.of("A", "1", "B", new Secret("s3cr3t!"))).environment())
        .hasSize(2);
  }

  @Test
  void itKnowsWhetherItHoldsASecret() {
    assertThat(withPassword().holdsSecret()).isTrue();
    assertThat(new ShellScript("echo \"${A}\"", Map.of("A", "a")).holdsSecret()).isFalse();
    assertThat(ShellScript.of("true").holdsSecret()).isFalse();
  }

  @Test
  void aLineWithoutValuesHasNoEnvironment() {
    ShellScript script = ShellScript.of("uptime");
    assertThat(script.script()).isEqualTo("uptime");
    assertThat(script.environment()).isEmpty();
    assertThat(script.readable()).isEqualTo("uptime");
  }

  @Test
  void theEnvironmentCannotBeChangedFromOutside() {
    Map<String, Object> env = new LinkedHashMap<>(Map.of("A", "a"));
    ShellScript script = new ShellScript("echo \"${A}\"", env);
    env.put("A", "changed");
    assertThat(script.environment()).containsExactly(Map.entry("A", "a"));
  }

  @Test
  void equalWhenLineAndValuesAreEqual() {
    assertThat(withPassword()).isEqualTo(withPassword()).hasSameHashCodeAs(withPassword());
    assertThat(ShellScript.of("a")).isNotEqualTo(ShellScript.of("b"));
    assertThat(new ShellScript("a", Map.of("A", "1")))
        .isNotEqualTo(new ShellScript("a", Map.of("A", "2")))
        .isNotEqualTo("a");
    assertThat(ShellScript.of("a").hashCode()).isNotEqualTo(ShellScript.of("b").hashCode());
  }
}
