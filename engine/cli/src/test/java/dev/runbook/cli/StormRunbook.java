package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runbook of the scale-out storm and what its runs left behind. Each alert {@code n} runs an
 * idempotent check, then the unsafe step (not idempotent: a run in doubt there is never re-run
 * blindly) that appends one line naming the alert to {@code MARKS/n}, then an idempotent check that
 * the line is there. A run is well under a second of work.
 */
final class StormRunbook {

  static final String ALARM = "ScaleStorm";

  private StormRunbook() {}

  /**
   * Writes the runbook into {@code library}; {@code unsafeIdempotent} marks the side effect's step
   * idempotent instead (wrongly: only for checking that the storm test can fail).
   */
  static void write(Path library, Path marks, boolean unsafeIdempotent) throws IOException {
    Files.writeString(
        library.resolve("scale-storm.yaml"),
        """
        runbook: SCALE-STORM
        title: One alert, one line in its side-effect file
        alarms: [%1$s]
        trigger: {policy: auto}
        params:
          n: {type: int, required: true}
        steps:
          - id: before
            shell: test -d %2$s
            changes: false
          - id: side-effect
            shell: echo "alert ${params.n}" >> %2$s/"${params.n}"; sleep 0.02
            changes: true
            idempotent: %3$s
          - id: after
            shell: grep -q "alert ${params.n}" %2$s/"${params.n}"
            changes: false
            idempotent: true
        """
            .formatted(ALARM, marks, unsafeIdempotent));
  }

  /** How many lines alert n's side effect left (0 when it never ran). */
  static int marks(Path marks, int n) throws IOException {
    Path file = marks.resolve(Integer.toString(n));
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  /**
   * The runs in some state directories: run ids by alert (runs that began a step), the runs cut off
   * before their first step (by a kill), runs per directory, and every trail's verifier findings.
   *
   * @param runsByAlert alert n -> the ids of its runs that began a step
   * @param cutOff runs with no step begun, by id: what the verifier says of each
   * @param cutOffPerState state directory index -> runs there with no step begun
   * @param unverifiedPerState state directory index -> those of them the verifier reports (a trail
   *     cut before its head: the verifier cannot tell a cut from a deletion)
   * @param runsPerState state directory index -> runs that began a step there
   * @param problems run id -> the verifier's problems, for trails that began a step
   */
  record Census(
      Map<Integer, Set<String>> runsByAlert,
      Map<String, List<String>> cutOff,
      Map<Integer, Integer> cutOffPerState,
      Map<Integer, Integer> unverifiedPerState,
      Map<Integer, Integer> runsPerState,
      Map<String, List<String>> problems) {

    static Census of(List<Path> states) throws IOException {
      Map<Integer, Set<String>> byAlert = new TreeMap<>();
      Map<String, List<String>> cutOff = new TreeMap<>();
      Map<Integer, Integer> perState = new TreeMap<>();
      Map<Integer, Integer> cutOffPerState = new TreeMap<>();
      Map<Integer, Integer> unverifiedPerState = new TreeMap<>();
      Map<String, List<String>> problems = new TreeMap<>();
      for (int i = 0; i < states.size(); i++) {
        perState.put(i, 0);
        if (!Files.isDirectory(states.get(i))) {
          continue;
        }
        for (RunDirectory run : RunSummary.runs(states.get(i))) {
          List<AuditEvent> events =
              Files.exists(run.events()) ? AuditTrail.read(run).events() : List.of();
          List<String> found = new ArrayList<>(AuditVerifier.verify(run).problems());
          if (events.stream().noneMatch(e -> e instanceof AuditEvent.StepStarted)) {
            cutOff.put(run.runId(), found);
            cutOffPerState.merge(i, 1, Integer::sum);
            if (!found.isEmpty()) {
              unverifiedPerState.merge(i, 1, Integer::sum);
            }
            continue;
          }
          AuditEvent.RunStarted started = (AuditEvent.RunStarted) events.get(0);
          int n = Integer.parseInt(started.params().get("n"));
          byAlert.computeIfAbsent(n, k -> new TreeSet<>()).add(run.runId());
          perState.merge(i, 1, Integer::sum);
          if (!found.isEmpty()) {
            problems.put(run.runId(), found);
          }
        }
      }
      return new Census(byAlert, cutOff, cutOffPerState, unverifiedPerState, perState, problems);
    }

    /** Alerts with more than one run that began a step. */
    Map<Integer, Set<String>> duplicates() {
      Map<Integer, Set<String>> twice = new HashMap<>();
      runsByAlert.forEach(
          (n, ids) -> {
            if (ids.size() > 1) {
              twice.put(n, ids);
            }
          });
      return twice;
    }
  }
}
