package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The help texts rendered at build time are exactly what picocli renders from the code now. */
class HelpTextsTest {

  private static List<HelpTexts.Named> commands() {
    List<HelpTexts.Named> commands = new ArrayList<>();
    HelpTexts.walk(Main.commandLine(), List.of("runbook"), commands);
    return commands;
  }

  @Test
  void everyCommandHasItsHelpAndItIsCurrent() {
    List<HelpTexts.Named> commands = commands();
    assertThat(commands)
        .extracting(n -> String.join(" ", n.path()))
        .contains(
            "runbook", "runbook run", "runbook audit", "runbook audit verify", "runbook demo");
    for (HelpTexts.Named named : commands) {
      String[] args =
          new ArrayList<>(named.path().subList(1, named.path().size())) {
            {
              add("--help");
            }
          }.toArray(String[]::new);
      for (boolean ansi : new boolean[] {false, true}) {
        assertThat(HelpTexts.forArguments(args, ansi))
            .as(String.join(" ", args) + (ansi ? " (colours)" : ""))
            .contains(HelpTexts.render(named.command(), ansi));
      }
    }
  }

  @Test
  void theBareCommandAndShortOptionGiveTheSameText() {
    String root = HelpTexts.render(Main.commandLine(), false);

    assertThat(HelpTexts.forArguments(new String[0], false)).contains(root);
    assertThat(HelpTexts.forArguments(new String[] {"-h"}, false)).contains(root);
    assertThat(HelpTexts.forArguments(new String[] {"audit", "list", "-h"}, false))
        .hasValueSatisfying(t -> assertThat(t).startsWith("Usage: runbook audit list"));
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    assertThat(HelpTexts.forArguments(new String[] {"run", "ALM-45654", "--help"}, false))
        .isEmpty();
    assertThat(HelpTexts.forArguments(new String[] {"--debug", "--help"}, false)).isEmpty();
    assertThat(HelpTexts.forArguments(new String[] {"run", "--dry-run"}, false)).isEmpty();
    assertThat(HelpTexts.forArguments(new String[] {"no-such-command", "--help"}, false)).isEmpty();
  }
}
