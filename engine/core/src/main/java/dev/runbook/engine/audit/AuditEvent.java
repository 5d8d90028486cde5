package dev.runbook.engine.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.runbook.api.FailureKind;
import dev.runbook.engine.model.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a run's audit trail ({@code events.jsonl}), which is also the journal a run is
 * resumed from. These records are the wire format: rename nothing, add fields only.
 *
 * <p>Each line also carries {@code seq} (1, 2, …), {@code time} (ISO-8601 UTC) and {@code prev}
 * (SHA-256 of the previous line's bytes), written by {@link AuditLog}. Secrets never reach an
 * event: parameters are masked by type and every string is redacted by value before it is written.
 *
 * <p>Order within a run: {@code run.started}, then per step {@code step.started}, optionally {@code
 * command}, {@code wait}, {@code decision}, {@code answer}, then {@code step.finished}; {@code
 * run.paused} and {@code run.resumed} may interrupt; {@code run.finished} is last. A step is named
 * by its path: {@code renew-active@1/generate-new-cert@1} (step id, then visit number, per level of
 * procedure calls; {@code each@1[2]} for the third item of a foreach).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AuditEvent.RunStarted.class, name = "run.started"),
  @JsonSubTypes.Type(value = AuditEvent.StepStarted.class, name = "step.started"),
  @JsonSubTypes.Type(value = AuditEvent.CommandRendered.class, name = "command"),
  @JsonSubTypes.Type(value = AuditEvent.WaitProgress.class, name = "wait"),
  @JsonSubTypes.Type(value = AuditEvent.Decision.class, name = "decision"),
  @JsonSubTypes.Type(value = AuditEvent.Answered.class, name = "answer"),
  @JsonSubTypes.Type(value = AuditEvent.StepFinished.class, name = "step.finished"),
  @JsonSubTypes.Type(value = AuditEvent.Paused.class, name = "run.paused"),
  @JsonSubTypes.Type(value = AuditEvent.Resumed.class, name = "run.resumed"),
  @JsonSubTypes.Type(value = AuditEvent.RunFinished.class, name = "run.finished")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface AuditEvent {

  /** Whether the line must be on disk before the run goes on (fsync). */
  default boolean durable() {
    return true;
  }

  /**
   * A run began.
   *
   * @param params parameter values, secrets as {@code ****}
   * @param lock the lock key held for the run, or null
   * @param operator who ran it, as they named themselves ({@code RUNBOOK_OPERATOR}), else the OS
   *     user
   * @param osUser the OS account the engine ran as, whatever the operator claimed; null in trails
   *     written before it was recorded
   * @param trigger the alarm that started the run ({@code runbook serve}), or null for a run a
   *     person started
   * @param approval {@code before-first-change} when a person must approve the run's first change
   *     (a resumed run keeps it), or null
   * @param libraries the library files the runbook used (its {@code uses:}), each with the SHA-256
   *     of its bytes, so that a resumed run uses the same ones; null when it uses none
   */
  record RunStarted(
      String runId,
      String runbook,
      String title,
      List<String> alarms,
      String file,
      String contentHash,
      Map<String, String> params,
      String lock,
      String operator,
      String machine,
      String engineVersion,
      String osUser,
      Trigger trigger,
      String approval,
      List<LibraryUsed> libraries)
      implements AuditEvent {

    /** A run that uses no library. */
    public RunStarted(
        String runId,
        String runbook,
        String title,
        List<String> alarms,
        String file,
        String contentHash,
        Map<String, String> params,
        String lock,
        String operator,
        String machine,
        String engineVersion,
        String osUser,
        Trigger trigger,
        String approval) {
      this(
          runId,
          runbook,
          title,
          alarms,
          file,
          contentHash,
          params,
          lock,
          operator,
          machine,
          engineVersion,
          osUser,
          trigger,
          approval,
          null);
    }

    public RunStarted(
        String runId,
        String runbook,
        String title,
        List<String> alarms,
        String file,
        String contentHash,
        Map<String, String> params,
        String lock,
        String operator,
        String machine,
        String engineVersion,
        String osUser) {
      this(
          runId,
          runbook,
          title,
          alarms,
          file,
          contentHash,
          params,
          lock,
          operator,
          machine,
          engineVersion,
          osUser,
          null,
          null,
          null);
    }

    public RunStarted(
        String runId,
        String runbook,
        String title,
        List<String> alarms,
        String file,
        String contentHash,
        Map<String, String> params,
        String lock,
        String operator,
        String machine,
        String engineVersion) {
      this(
          runId,
          runbook,
          title,
          alarms,
          file,
          contentHash,
          params,
          lock,
          operator,
          machine,
          engineVersion,
          null);
    }
  }

  /**
   * The alarm that started a run, as it was received.
   *
   * @param source {@code alertmanager} or {@code alarms}
   * @param alarm the alarm's name
   * @param id this occurrence, unique at its source (for Alertmanager: fingerprint@startsAt)
   * @param labels the alarm's labels
   */
  record Trigger(String source, String alarm, String id, Map<String, String> labels) {}

  /**
   * A library file a run used: its name, the file (an absolute path) and the SHA-256 of its bytes.
   */
  record LibraryUsed(String library, String file, String contentHash) {}

  /** A step began (each attempt of a retried action is its own {@code attempt}). */
  record StepStarted(
      String step,
      String stepId,
      String ref,
      String title,
      String kind,
      int attempt,
      String target,
      Boolean idempotent,
      @JsonIgnore boolean unsafeToRepeat)
      implements AuditEvent {

    /** Without the flag that only the writer needs (it is not part of the wire format). */
    public StepStarted(
        String step,
        String stepId,
        String ref,
        String title,
        String kind,
        int attempt,
        String target,
        Boolean idempotent) {
      this(step, stepId, ref, title, kind, attempt, target, idempotent, true);
    }

    /**
     * Synced only for a step that would be unsafe to run twice (it changes the system and is not
     * idempotent): only for such a step does a resumed run need to know for sure that it began. A
     * later synced line syncs this one too.
     */
    @Override
    public boolean durable() {
      return unsafeToRepeat;
    }
  }

  /**
   * The exact command a step runs, as rendered, secrets masked.
   *
   * @param environment the values a shell line receives as environment variables, by name ({@code
   *     RB_PARAM_HostName}), secrets masked; null when it takes none
   */
  record CommandRendered(
      String step, String target, String command, boolean changes, Map<String, String> environment)
      implements AuditEvent {

    public CommandRendered(String step, String target, String command, boolean changes) {
      this(step, target, command, changes, null);
    }

    @Override
    public boolean durable() {
      return false;
    }
  }

  /** Progress of a sleep or a poll. */
  record WaitProgress(String step, long elapsedMs, long totalMs, Integer attempt)
      implements AuditEvent {
    @Override
    public boolean durable() {
      return false;
    }
  }

  /**
   * A condition was evaluated, or a {@code switch:} value.
   *
   * @param values the values it read (parameters, result fields), secrets redacted
   * @param value the condition's value; for a switch, whether its value is one of the cases (false:
   *     it took {@code default})
   * @param branch where flow went: a step id, {@code end: …}, {@code return: …}, or {@code next}
   * @param chosen a switch's value, as compared with its cases (secrets redacted); null for a
   *     condition
   */
  record Decision(
      String step,
      String expression,
      Map<String, Object> values,
      boolean value,
      String branch,
      String chosen)
      implements AuditEvent {

    public Decision(
        String step, String expression, Map<String, Object> values, boolean value, String branch) {
      this(step, expression, values, value, branch, null);
    }

    /** The value as people read it: {@code true}, or a switch's {@code 'chrony'}. */
    @JsonIgnore
    public String shown() {
      return chosen == null ? String.valueOf(value) : "'" + chosen + "'";
    }
  }

  /**
   * A person answered.
   *
   * @param answer {@code yes}, {@code no}, {@code done} or {@code run again}; the chosen case of a
   *     multi-way question; the value a step captured
   * @param operator who answered, as they named themselves
   * @param via {@code terminal}, {@code --answer}, {@code answers-file}, {@code api}
   * @param note what the person added to the answer, or null
   * @param osUser the OS account the answer came through, or null
   * @param kind {@code approval} for a person's approval of the run's first change; null for the
   *     answer to a step's own question
   */
  record Answered(
      String step,
      String question,
      String answer,
      String operator,
      String via,
      String note,
      String osUser,
      String kind)
      implements AuditEvent {

    /** What {@link #kind} says for an approval. */
    public static final String APPROVAL = "approval";

    public Answered(
        String step,
        String question,
        String answer,
        String operator,
        String via,
        String note,
        String osUser) {
      this(step, question, answer, operator, via, note, osUser, null);
    }

    /** Whether the answer is yes. */
    @JsonIgnore
    public boolean yes() {
      return "yes".equals(answer);
    }

    /** Whether this answers the approval of a change, not a step's own question. */
    @JsonIgnore
    public boolean approval() {
      return APPROVAL.equals(kind);
    }

    public Answered(String step, String question, String answer, String operator, String via) {
      this(step, question, answer, operator, via, null, null);
    }
  }

  /** How a step ended, written {@code succeeded} or {@code failed}. */
  enum StepStatus {
    SUCCEEDED,
    FAILED;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return label();
    }

    /** Reads a label; anything else makes the line unreadable (never a default). */
    @JsonCreator
    public static StepStatus of(String label) {
      for (StepStatus status : values()) {
        if (status.label().equals(label)) {
          return status;
        }
      }
      throw new IllegalArgumentException("not a step status: " + label);
    }
  }

  /**
   * A step ended.
   *
   * @param failureKind the failure's kind as {@link FailureKind#label()} writes it; read back with
   *     {@link #kind()}, an unknown label makes the line unreadable
   * @param result the result data as conditions see it (long output cut; whole output in the file)
   * @param output where the step's full output is, with its size and hash, or null
   * @param value the step's yes/no value (decisions, questions, polls, calls), or null
   * @param ranOn where the action really ran, as its transport describes it once connected ({@code
   *     omm@10.0.0.5:22 (mrs-node-1)}), or null for steps that ran nothing
   */
  record StepFinished(
      String step,
      StepStatus status,
      Boolean value,
      Long exitCode,
      long durationMs,
      String failureKind,
      String message,
      Map<String, Object> result,
      OutputRecord output,
      String ranOn,
      @JsonIgnore boolean unsafeToRepeat)
      implements AuditEvent {

    public StepFinished {
      if (failureKind != null && FailureKind.fromLabel(failureKind) == null) {
        throw new IllegalArgumentException("not a failure kind: " + failureKind);
      }
    }

    public StepFinished(
        String step,
        StepStatus status,
        Boolean value,
        Long exitCode,
        long durationMs,
        String failureKind,
        String message,
        Map<String, Object> result,
        OutputRecord output,
        String ranOn) {
      this(
          step,
          status,
          value,
          exitCode,
          durationMs,
          failureKind,
          message,
          result,
          output,
          ranOn,
          true);
    }

    /** The failure's kind, or null when the step succeeded. */
    public FailureKind kind() {
      return failureKind == null ? null : FailureKind.fromLabel(failureKind);
    }

    public boolean failed() {
      return status == StepStatus.FAILED;
    }

    /**
     * As for {@link StepStarted#durable()}: a finished step that is safe to repeat may be re-run
     * after a power loss.
     */
    @Override
    public boolean durable() {
      return unsafeToRepeat;
    }
  }

  /**
   * The run stopped to wait for a person; {@code runbook resume} continues it.
   *
   * @param kind {@code approval} when the run waits for a person to approve its first change
   *     ({@code runbook approve}); null when it waits for the answer to a step's own question
   */
  record Paused(String step, String question, String reason, Boolean stopped, String kind)
      implements AuditEvent {

    public Paused(String step, String question, String reason) {
      this(step, question, reason, null, null);
    }

    public Paused(String step, String question, String reason, Boolean stopped) {
      this(step, question, reason, stopped, null);
    }

    /** Whether the run waits for a person to approve a change. */
    @JsonIgnore
    public boolean forApproval() {
      return Answered.APPROVAL.equals(kind);
    }

    /**
     * Whether the run was stopped by a signal while {@code step} (one or more step paths, comma
     * separated) ran, rather than paused to wait for a person there: such a step is in doubt.
     */
    public boolean wasStopped() {
      return Boolean.TRUE.equals(stopped);
    }
  }

  /**
   * A paused or crashed run was continued.
   *
   * @param inDoubt steps that had started but not finished when the run stopped
   * @param osUser the OS account that resumed it, or null
   * @param retry the failed step a {@code resume --retry-failed} runs again, or null
   */
  record Resumed(
      String operator,
      String machine,
      String engineVersion,
      List<String> inDoubt,
      String note,
      String osUser,
      String retry)
      implements AuditEvent {

    public Resumed(
        String operator, String machine, String engineVersion, List<String> inDoubt, String note) {
      this(operator, machine, engineVersion, inDoubt, note, null, null);
    }
  }

  /** The run ended with an outcome: {@code resolved}, {@code escalated} or {@code failed}. */
  record RunFinished(Outcome outcome, String message, long durationMs) implements AuditEvent {}

  /**
   * Where a step's whole output is kept.
   *
   * @param file path relative to the run directory
   * @param tail the last lines, for reading the trail without opening the file
   */
  record OutputRecord(String file, long bytes, String sha256, String tail) {}
}
