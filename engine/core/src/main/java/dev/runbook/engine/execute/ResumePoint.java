package dev.runbook.engine.execute;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.model.Outcome;
import dev.runbook.engine.model.Runbook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run continues from, read from its trail: the journal to replay, or why it cannot be
 * resumed (the trail does not verify, the run finished, the runbook changed since it started).
 *
 * <p>With {@code retryFailed}, a run that ended {@code failed} continues too: the steps whose
 * failure ended it (the failed step and the calls it was in, the last {@code step.finished} events
 * before {@code run.finished}) are forgotten, so they run again, with the values given now.
 *
 * @param started the run's first event
 * @param journal what the run already did
 * @param partial whether the trail ended in a partial line (the writer was killed mid-line)
 * @param retried the failed step run again, or null
 */
record ResumePoint(
    AuditEvent.RunStarted started, Journal journal, boolean partial, String retried) {

  /**
   * Reads where a run stands, from the lines of its trail that {@code check} vouched for (a torn
   * end, lines a killed run wrote after its last signature, is dropped as a partial line is).
   */
  static ResumePoint of(
      RunDirectory dir,
      AuditTrail trail,
      AuditVerifier.ResumeCheck check,
      Runbook runbook,
      boolean retryFailed)
      throws RunEngine.ResumeRefused {
    if (check.refusal() != null) {
      throw new RunEngine.ResumeRefused(check.refusal());
    }
    List<AuditTrail.Line> trusted =
        trail.lines().subList(0, (int) Math.min(check.trustedLines(), trail.lines().size()));
    boolean partial = trail.hasPartialLine() || trusted.size() < trail.lines().size();
    AuditEvent.RunStarted started = null;
    AuditEvent.RunFinished finished = null;
    List<AuditEvent> events = new ArrayList<>();
    Map<AuditEvent, Instant> times = new IdentityHashMap<>();
    for (AuditTrail.Line line : trusted) {
      AuditEvent event = line.event();
      if (event == null) {
        continue;
      }
      if (event instanceof AuditEvent.RunStarted s && started == null) {
        started = s;
      }
      if (event instanceof AuditEvent.RunFinished f) {
        finished = f;
        continue;
      }
      if (event instanceof AuditEvent.Resumed) {
        finished = null; // a retry after a failed end
      }
      events.add(event);
      times.put(event, line.time().orElse(Instant.EPOCH));
    }
    if (started == null) {
      throw new RunEngine.ResumeRefused(
          "run " + dir.runId() + " has no run.started event; there is nothing to resume");
    }
    String retried = null;
    if (finished != null) {
      if (!retryFailed || finished.outcome() != Outcome.FAILED) {
        throw new RunEngine.ResumeRefused(
            "run "
                + dir.runId()
                + " already finished: "
                + finished.outcome()
                + (finished.outcome() == Outcome.FAILED
                    ? "; to run its failed step again: runbook resume "
                        + dir.runId()
                        + " --retry-failed"
                    : ""));
      }
      retried = forgetFailure(events);
    } else if (retryFailed) {
      throw new RunEngine.ResumeRefused(
          "run " + dir.runId() + " did not fail; resume it without --retry-failed");
    }
    if (!started.contentHash().equals(runbook.contentHash())) {
      throw new RunEngine.ResumeRefused(
          "runbook "
              + runbook.id()
              + " ("
              + runbook.file()
              + ") changed since run "
              + dir.runId()
              + " started; resume it with the runbook as it was, or start a new run");
    }
    if (!java.util.Objects.equals(
        hashes(started.libraries()), hashes(RunEngine.librariesUsed(runbook)))) {
      throw new RunEngine.ResumeRefused(
          "the libraries runbook "
              + runbook.id()
              + " uses changed since run "
              + dir.runId()
              + " started; resume it with the library files as they were, or start a new run");
    }
    return new ResumePoint(started, new Journal(events, times), partial, retried);
  }

  /** Each library's name and content hash (the file may have moved; its bytes may not). */
  private static java.util.Map<String, String> hashes(List<AuditEvent.LibraryUsed> used) {
    java.util.Map<String, String> hashes = new java.util.TreeMap<>();
    if (used != null) {
      used.forEach(u -> hashes.put(u.library(), u.contentHash()));
    }
    return hashes;
  }

  /**
   * Drops the {@code step.finished} events of the failure that ended the run (the last ones, a
   * failed step and the calls around it) and their starts; returns the innermost step's path.
   */
  private static String forgetFailure(List<AuditEvent> events) {
    List<String> chain = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i) instanceof AuditEvent.StepFinished f && f.failed()) {
        chain.add(f.step());
        events.remove(i);
      } else {
        break;
      }
    }
    events.removeIf(e -> chain.contains(stepOf(e)));
    return chain.isEmpty() ? null : chain.get(0);
  }

  private static String stepOf(AuditEvent event) {
    if (event instanceof AuditEvent.StepStarted s) {
      return s.step();
    }
    if (event instanceof AuditEvent.CommandRendered c) {
      return c.step();
    }
    if (event instanceof AuditEvent.Decision d) {
      return d.step();
    }
    if (event instanceof AuditEvent.WaitProgress w) {
      return w.step();
    }
    return null;
  }
}
