package dev.runbook.api;

import java.util.List;
import java.util.Set;

/**
 * What a step does: run a shell command, inspect a certificate, call kubectl.
 *
 * <p>Call order for one step: the engine validates the step's inputs against {@link #descriptor()}
 * when the runbook is validated, then calls {@link #preview} (always, also in a dry-run) and, only
 * in a real run, {@link #execute}. Implementations are shared between steps and runs, so they must
 * be stateless or thread-safe: {@code foreach} with {@code parallel: N} calls {@code execute} from
 * several threads at once.
 */
public interface Action {

  /** The action's name, inputs and defaults; the same object on every call. */
  ActionDescriptor descriptor();

  /**
   * Rules about which inputs go together that {@link ActionDescriptor} cannot say ("give exactly
   * one of command and argv"). Called by the validator with the names a step gives.
   *
   * @return one message per broken rule; empty when the combination is fine
   */
  default List<String> checkInputs(Set<String> given) {
    return List.of();
  }

  /**
   * Describes what {@link #execute} would do, without doing any of it: no process, no connection,
   * no file read. Secrets in the request are {@link Secret}s, whose {@code toString()} is masked.
   */
  PlannedAction preview(ActionRequest request);

  /**
   * Does the work and reports it. A failure the plugin can classify is returned as {@link
   * StepResult#failed}; an exception escaping this method is recorded as {@link
   * FailureKind#PLUGIN_ERROR}.
   *
   * @throws InterruptedException when the run is cancelled or the step's timeout expires; the
   *     implementation stops its work (kills its processes) before rethrowing
   */
  StepResult execute(ActionRequest request, ActionContext context) throws InterruptedException;
}
