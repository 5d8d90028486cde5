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

  @Test
  void theBuilderNamesEachInputOnceKeepsTheirOrderAndTakesTheShorthandItIsGiven() {
    ActionDescriptor descriptor =
        ActionDescriptor.builder("x.run", "runs x")
            .optional("line", InputType.SHELL, "a line")
            .shorthand()
            .required("dir", InputType.TEXT, "where")
            .optional("n", InputType.INT, "how many")
            .changesByDefault(false)
            .build();
    assertThat(descriptor.inputs().keySet()).containsExactly("line", "dir", "n");
    assertThat(descriptor.shorthand()).isEqualTo("line");
    assertThat(descriptor.inputs().get("dir").required()).isTrue();
    assertThat(descriptor.inputs().get("n").type()).isEqualTo(InputType.INT);
    assertThat(descriptor.changesByDefault()).isFalse();
    assertThat(ActionDescriptor.builder("y", "y").build().changesByDefault())
        .as("an action changes the system unless it says it does not")
        .isTrue();
    assertThat(ActionDescriptor.builder("y", "y").build().shorthand()).isNull();
  }

  @Test
  void theBuilderRefusesAnInputDeclaredTwiceAndAShorthandBeforeAnyInput() {
    assertThatThrownBy(
            () ->
                ActionDescriptor.builder("x.run", "runs x")
                    .optional("line", InputType.SHELL, "a line")
                    .required("line", InputType.TEXT, "again"))
        .hasMessage("action 'x.run': input 'line' is declared twice");
    assertThatThrownBy(() -> ActionDescriptor.builder("x.run", "runs x").shorthand())
        .hasMessage("action 'x.run': no input to be the shorthand");
  }
}
