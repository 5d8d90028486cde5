package dev.runbook.cli;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(
    name = "actions",
    description =
        "List the installed actions with their inputs, the kinds of target runbooks may declare,"
            + " and the transports.")
final class ActionsCommand extends BaseCommand {

  @Override
  public Integer call() throws Refused {
    Engine.Installed installed = session().engine().installed();
    for (ActionDescriptor action : installed.actions().values()) {
      out()
          .println(
              action.name()
                  + "  "
                  + action.summary()
                  + (action.changesByDefault() ? "" : "  (read-only unless 'changes: true')"));
      for (InputSpec input : action.inputs().values()) {
        String main = input.name().equals(action.shorthand()) ? ", main input" : "";
        out()
            .printf(
                "    %-10s %s%s%s: %s%n",
                input.name(),
                input.type().name().toLowerCase(Locale.ROOT),
                input.required() ? ", required" : "",
                main,
                input.doc());
      }
    }
    out().println();
    out().println("target kinds (in a runbook's targets:):");
    for (TargetKind kind : installed.targetKinds().values()) {
      String shape =
          switch (kind.form()) {
            case FLAG -> kind.name() + ": true";
            case VALUE -> kind.name() + ": " + kind.primary().toUpperCase(Locale.ROOT);
            case MAPPING -> kind.name() + ": {…}";
          };
      out()
          .printf(
              "  %-16s %s%s%n",
              shape, kind.doc(), kind.client() ? " (runs its program on 'via', else local)" : "");
      for (InputSpec setting : kind.settings()) {
        out().printf("      %-12s %s%n", setting.name(), setting.doc());
      }
    }
    out().println();
    out().println("transports: " + String.join(", ", installed.transports()));
    out().println("plugins: " + String.join(", ", installed.plugins()));
    return ExitCodes.OK;
  }
}
