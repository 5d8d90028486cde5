package dev.runbook.testkit;

import dev.runbook.api.Action;
import dev.runbook.api.ActionContext;
import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.ActionRequest;
import dev.runbook.api.FailureKind;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.PlannedAction;
import dev.runbook.api.StepFailure;
import dev.runbook.api.StepResult;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE action whose results the test scripts, and which records every call. A step gives it one
 * text input, {@code value} (the shorthand: {@code probe: "${inputs.host}"}), and any other input
 * the test declares with {@link #input}. Each call takes the next reply scripted for its value
 * ({@link #repliesTo}), else the next of the general queue ({@link #replies}), else the standing
 * reply ({@link #otherwise}, succeeding with no data unless told). Thread-safe: {@code foreach
 * parallel} calls it from several threads.
 *
 * <p>It changes the system by default, as a shell line does ({@link #changesByDefault}).
 */
public final class ScriptedAction implements Action {

  /**
   * One call as the action saw it.
   *
   * @param number the call's number, from 1, over every call of this action
   * @param stepId the step's id
   * @param inputs every input as text (a secret revealed)
   * @param target where the step was to run, as {@code Target.describe()} says
   * @param changes whether the step was declared to change the system
   */
  public record Call(
      int number, String stepId, Map<String, String> inputs, String target, boolean changes) {

    /** The {@code value} input, or null. */
    public String value() {
      return inputs.get(VALUE);
    }
  }

  /** What one call does: its result, or an exception to throw. */
  @FunctionalInterface
  public interface Reply {

    StepResult answer(Call call, ActionContext context) throws InterruptedException;

    /** Succeeds with no data. */
    static Reply succeed() {
      return (call, context) -> StepResult.succeeded(Map.of());
    }

    /** Succeeds with this data ({@code result.*} for conditions): JSON-like values only. */
    static Reply succeed(Map<String, Object> data) {
      return (call, context) -> StepResult.succeeded(data);
    }

    /**
     * Prints {@code stdout} (line by line) and exits 0, as a command would: the result has {@code
     * stdout}, {@code stderr} and {@code exitCode}.
     */
    static Reply stdout(String stdout) {
      return (call, context) -> {
        stdout.lines().forEach(context.output()::stdout);
        return StepResult.succeeded(Map.of("stdout", stdout, "stderr", "")).withExitCode(0);
      };
    }

    /**
     * Exits with {@code code}, as a command would: non-zero is a {@link FailureKind#NON_ZERO_EXIT}
     * failure (retryable) whose message is the shell action's, {@code exited with status N}.
     */
    static Reply exit(int code) {
      return (call, context) -> {
        Map<String, Object> data = Map.of("stdout", "", "stderr", "");
        return code == 0
            ? StepResult.succeeded(data).withExitCode(0)
            : StepResult.failed(
                    StepFailure.of(FailureKind.NON_ZERO_EXIT, "exited with status " + code), data)
                .withExitCode(code);
      };
    }

    /** Fails with this kind and message. */
    static Reply fail(FailureKind kind, String message) {
      return (call, context) -> StepResult.failed(StepFailure.of(kind, message));
    }

    /**
     * Waits (at most {@link Gate#LIMIT}) until {@code gate} is released, then does {@code then}.
     */
    static Reply block(Gate gate, Reply then) {
      return (call, context) -> {
        gate.pass();
        return then.answer(call, context);
      };
    }

    /** The engine's process dies in the middle of this call ({@link SimulatedCrash}). */
    static Reply crash() {
      return (call, context) -> {
        throw new SimulatedCrash("the engine died while step '" + call.stepId() + "' ran");
      };
    }
  }

  static final String VALUE = "value";

  private final String name;
  private final Map<String, InputSpec> inputs = new LinkedHashMap<>();
  private boolean changesByDefault = true;
  private ActionDescriptor descriptor;
  private final Deque<Reply> queue = new ArrayDeque<>();
  private final Map<String, Deque<Reply>> byValue = new HashMap<>();
  private Reply otherwise = Reply.succeed();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Call> previews = new CopyOnWriteArrayList<>();
  private final AtomicInteger previewed = new AtomicInteger();

  ScriptedAction(String name) {
    this.name = name;
    inputs.put(VALUE, InputSpec.optional(VALUE, InputType.TEXT, "what the call is about"));
    descriptor = describe();
  }

  private ActionDescriptor describe() {
    return new ActionDescriptor(
        name, "a scripted fake action (tests only)", VALUE, inputs, changesByDefault);
  }

  /** Declares another input a step may give; before the first run. */
  public synchronized ScriptedAction input(String input, InputType type) {
    inputs.put(input, InputSpec.optional(input, type, "a test's input"));
    descriptor = describe();
    return this;
  }

  /** Whether a step changes the system unless it says {@code changes:}; before the first run. */
  public synchronized ScriptedAction changesByDefault(boolean changes) {
    changesByDefault = changes;
    descriptor = describe();
    return this;
  }

  /** Replies for the next calls, in order, whatever their value. */
  public synchronized ScriptedAction replies(Reply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /** Replies for the next calls whose {@code value} is {@code value}, in order. */
  public synchronized ScriptedAction repliesTo(String value, Reply... replies) {
    byValue.computeIfAbsent(value, v -> new ArrayDeque<>()).addAll(List.of(replies));
    return this;
  }

  /** The reply once the scripted ones are used up. */
  public synchronized ScriptedAction otherwise(Reply reply) {
    otherwise = reply;
    return this;
  }

  /** Every call, in the order they came. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The {@code value} of every call, in the order they came. */
  public List<String> values() {
    return calls.stream().map(Call::value).toList();
  }

  /** Every preview (dry-run, and before each real call), in order. */
  public List<Call> previews() {
    return List.copyOf(previews);
  }

  @Override
  public synchronized ActionDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public PlannedAction preview(ActionRequest request) {
    previews.add(call(request, previewed.incrementAndGet()));
    StringBuilder command = new StringBuilder(name);
    request
        .inputs()
        .forEach(
            (input, value) ->
                command.append(input.equals(VALUE) ? " " : " " + input + "=").append(value));
    return new PlannedAction(request.target().describe(), command.toString(), request.changes());
  }

  @Override
  public StepResult execute(ActionRequest request, ActionContext context)
      throws InterruptedException {
    Reply reply;
    Call call;
    synchronized (this) {
      call = call(request, calls.size() + 1);
      calls.add(call);
      Deque<Reply> mine = call.value() == null ? null : byValue.get(call.value());
      reply =
          mine != null && !mine.isEmpty()
              ? mine.poll()
              : !queue.isEmpty() ? queue.poll() : otherwise;
    }
    return reply.answer(call, context);
  }

  private static Call call(ActionRequest request, int number) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String input : request.inputs().keySet()) {
      texts.put(input, request.text(input));
    }
    return new Call(
        number,
        request.stepId(),
        Collections.unmodifiableMap(texts),
        request.target().describe(),
        request.changes());
  }

  /** The number of calls whose value was {@code value}. */
  public long callsFor(String value) {
    return calls.stream().filter(c -> value.equals(c.value())).count();
  }
}
