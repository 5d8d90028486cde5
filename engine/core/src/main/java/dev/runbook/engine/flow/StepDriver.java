package dev.runbook.engine.flow;

import dev.runbook.engine.model.Step;

/**
 * What the walk does at each step. The run's driver runs the step and records it; the dry run's
 * driver describes it and takes the answer it was told to assume. The walk itself (which step comes
 * next, where a list ends) is the same for both: {@link FlowWalker}.
 *
 * @param <S> where a step list is walked: its bindings, visit counts, trail path
 */
public interface StepDriver<S> {

  StepOutcome step(Step step, S scope) throws InterruptedException;
}
