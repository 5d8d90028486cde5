package dev.runbook.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "completion",
    description = {
      "Print a shell completion script for runbook's commands and options.",
      "",
      "  bash:  source <(runbook completion bash)      (or save it in /etc/bash_completion.d/)",
      "  zsh:   source <(runbook completion zsh)"
    })
final class CompletionCommand extends BaseCommand {

  /** The shells a script is made for. */
  enum Shell {
    BASH,
    ZSH
  }

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    // picocli writes a bash script; zsh runs it through its bash completion emulation.
    String script = AutoComplete.bash("runbook", spec.root().commandLine());
    if (shell == Shell.ZSH) {
      out().println("autoload -U +X compinit && compinit");
      out().println("autoload -U +X bashcompinit && bashcompinit");
    }
    out().print(script);
    out().flush();
    return ExitCodes.OK;
  }
}
