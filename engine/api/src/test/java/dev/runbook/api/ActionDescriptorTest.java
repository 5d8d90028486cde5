package dev.runbook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionDescriptorTest {

  @Test
  void keepsTheInputsInTheOrderThePluginDeclaredThem() {
    Map<String, InputSpec> inputs = new LinkedHashMap<>();
    for (String name : new String[] {"command", "argv", "env", "dir", "user", "shell"}) {
      inputs.put(name, InputSpec.optional(name, InputType.TEXT, name));
    }
    ActionDescriptor descriptor = new ActionDescriptor("x", "x", "command", inputs, true);
    assertThat(descriptor.inputs().keySet())
        .containsExactly("command", "argv", "env", "dir", "user", "shell");
    assertThatThrownBy(() -> descriptor.inputs().put("more", null))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
