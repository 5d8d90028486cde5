package dev.runbook.cli;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import picocli.CommandLine.Command;

@Command(
    name = "actions",
    description = "List the installed actions and transports, with their inputs.")
final class ActionsCommand extends BaseCommand {

  @Override
  public Integer call() throws dev.runbook.engine.Refused {
    dev.runbook.engine.Engine.Installed installed = session().engine().installed();
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
                input.type().name().toLowerCase(java.util.Locale.ROOT),
                input.required() ? ", required" : "",
                main,
                input.doc());
      }
    }
    out().println();
    out().println("transports: " + String.join(", ", installed.transports()));
    out().println("plugins: " + String.join(", ", installed.plugins()));
    return ExitCodes.OK;
  }
}
