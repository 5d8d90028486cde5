package dev.runbook.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step as a plan shows it. Fields that do not apply to the step's kind are null (and left out
 * of JSON).
 *
 * @param id the step's id
 * @param ref the document's step number(s)
 * @param title the step's title
 * @param kind action, poll, decision, wait, question, manual, call, fan-out, end, return
 * @param action the action's name
 * @param target where it runs ({@code omm@node-1 (ssh)})
 * @param command the exact command, secrets masked
 * @param environment the values the command receives as environment variables, secrets masked
 * @param refused why values the step would use may not stand where it puts them: a real run fails
 *     the step before running anything
 * @param changes whether it changes the system
 * @param condition the {@code if} / {@code until} expression
 * @param detail a wait's duration, a poll's interval and deadline, a question or an instruction
 * @param call the procedure a call or fan-out runs, with its inputs
 * @param branches where each outcome leads: {@code next}, {@code yes}, {@code no}, {@code
 *     on_failure}; a bare step id or {@code end: OUTCOME}, {@code return: yes|no}
 * @param limits timeout, retry, max visits, accepted exit codes, when set
 * @param body the procedure's planned steps, for call and fan-out
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlannedStep(
    String id,
    String ref,
    String title,
    String kind,
    String action,
    String target,
    String command,
    Map<String, String> environment,
    List<String> refused,
    Boolean changes,
    String condition,
    String detail,
    String call,
    Map<String, String> branches,
    List<String> limits,
    List<PlannedStep> body) {

  public PlannedStep {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    refused = List.copyOf(refused);
    branches = Collections.unmodifiableMap(new LinkedHashMap<>(branches));
    limits = List.copyOf(limits);
    body = List.copyOf(body);
  }
}
