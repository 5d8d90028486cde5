package dev.runbook.cli;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.InputSpec;
import dev.runbook.api.Plugin;
import picocli.CommandLine.Command;

@Command(
    name = "actions",
    description = "List the installed actions and transports, with their inputs.")
final class ActionsCommand extends BaseCommand {

  @Override
  public Integer call() {
    for (ActionDescriptor action : session().plugins().descriptors().values()) {
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
    out().println("transports: " + String.join(", ", session().plugins().transportKinds()));
    out().print("plugins:");
    for (Plugin plugin : session().plugins().plugins()) {
      out().print(" " + plugin.id() + " (" + plugin.getClass().getName() + ")");
    }
    out().println();
    return ExitCodes.OK;
  }
}
