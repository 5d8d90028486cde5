package dev.runbook.engine.execute;

/**
 * A person's answer.
 *
 * @param yes the answer
 * @param via how it was given: {@code terminal}, {@code --answer}, {@code answers-file}
 * @param operator who gave it
 */
public record Answer(boolean yes, String via, String operator) {}
