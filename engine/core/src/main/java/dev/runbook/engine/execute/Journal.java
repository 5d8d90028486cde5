package dev.runbook.engine.execute;

import dev.runbook.engine.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an earlier part of this run already did, read back from its trail. Execution is
 * deterministic given step results and answers, so a resumed run walks the runbook from the start
 * and, for every step this journal has finished, takes the recorded result instead of running it
 * again (the replay idea of durable workflow engines).
 */
final class Journal {

  static final Journal EMPTY = new Journal(List.of(), Map.of());

  private final Map<String, AuditEvent.StepFinished> finished = new HashMap<>();
  private final Map<String, AuditEvent.Answered> answers = new HashMap<>();
  private final Map<String, AuditEvent.Answered> approvals = new HashMap<>();
  private final Set<String> decided = new LinkedHashSet<>();
  private final Set<String> paused = new LinkedHashSet<>();
  private final Map<String, Instant> started = new HashMap<>();
  private final Map<String, Boolean> idempotent = new HashMap<>();

  Journal(List<AuditEvent> events, Map<AuditEvent, Instant> times) {
    for (AuditEvent event : events) {
      if (event instanceof AuditEvent.StepFinished f) {
        finished.put(f.step(), f);
      } else if (event instanceof AuditEvent.Answered a && a.approval()) {
        approvals.put(a.step(), a);
      } else if (event instanceof AuditEvent.Answered a) {
        answers.put(a.step(), a);
      } else if (event instanceof AuditEvent.Paused p && !p.wasStopped()) {
        paused.add(p.step());
      } else if (event instanceof AuditEvent.Decision d) {
        decided.add(d.step());
      } else if (event instanceof AuditEvent.StepStarted s) {
        started.putIfAbsent(s.step(), times.getOrDefault(s, Instant.EPOCH));
        idempotent.put(s.step(), Boolean.TRUE.equals(s.idempotent()));
      }
    }
  }

  Optional<AuditEvent.StepFinished> finished(String step) {
    return Optional.ofNullable(finished.get(step));
  }

  Optional<AuditEvent.Answered> answer(String step) {
    return Optional.ofNullable(answers.get(step));
  }

  /** The approval recorded before this step (the run's first change), if any. */
  Optional<AuditEvent.Answered> approval(String step) {
    return Optional.ofNullable(approvals.get(step));
  }

  /** Whether a person approved a change earlier in the run: later changes need no approval. */
  boolean approved() {
    return approvals.values().stream().anyMatch(a -> a.answer().equals("yes"));
  }

  /** Whether the run paused at this step (it waited there for a person). */
  boolean pausedAt(String step) {
    return paused.contains(step);
  }

  boolean decided(String step) {
    return decided.contains(step);
  }

  /** When the step first started, if it did. */
  Optional<Instant> started(String step) {
    return Optional.ofNullable(started.get(step));
  }

  /** Steps that started but neither finished nor paused: cut off by a crash. */
  List<String> inDoubt() {
    List<String> steps = new ArrayList<>();
    for (String step : started.keySet()) {
      if (!finished.containsKey(step) && !paused.contains(step)) {
        steps.add(step);
      }
    }
    steps.sort(null);
    return steps;
  }

  boolean isEmpty() {
    return started.isEmpty();
  }
}
