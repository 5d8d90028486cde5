package dev.runbook.importer.map;

import dev.runbook.importer.document.Case;
import dev.runbook.importer.document.DocStep;
import java.util.List;

/**
 * What one numbered step asks for, before it becomes runbook steps.
 *
 * @param login a login (or {@code su}) the step makes, or null
 * @param loginText the sentence that logs in, for a person when no command of the runbook uses it
 * @param commands the commands, in order, each on its target
 * @param instructions what a person does, in order
 * @param instructionsFirst true when the person acts before the commands run
 * @param context notes and examples, for the person
 * @param question the step's text as a question for a person (the whole step)
 * @param cleared the wait of a "check whether the alarm is cleared", or null when there is none
 * @param ending how the step's own text ends the procedure
 * @param endingMessage the sentence that ends it
 * @param todos things a person must review
 */
record Analysis(
    DocStep step,
    Login login,
    String loginText,
    List<Command> commands,
    List<String> instructions,
    boolean instructionsFirst,
    List<String> context,
    String question,
    Waits.Wait cleared,
    Case.Ending ending,
    String endingMessage,
    List<String> todos) {

  /**
   * A command of the step.
   *
   * @param line what runs (the directory and parameters filled in)
   * @param target where, or null when it cannot run (a person runs it)
   * @param changes whether it changes the system
   * @param display the command as the document writes it
   */
  record Command(String line, String target, boolean changes, String display) {
    boolean runnable() {
      return target != null;
    }
  }

  boolean hasRunnable() {
    return commands.stream().anyMatch(Command::runnable);
  }
}
