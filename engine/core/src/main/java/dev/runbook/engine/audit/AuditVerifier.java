package dev.runbook.engine.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a run's trail: every line chains to the one before, sequence numbers run 1, 2, 3 without
 * gaps, the first line is the {@code run.started} of this very run, nothing follows {@code
 * run.finished}, the file is as long as its head says, and every output file has the hash its step
 * recorded. With trusted keys it also checks the head's signature and that the signed line is the
 * one the chain leads to. Names the first line that was edited, removed, reordered or cut off.
 *
 * <p>Findings come in three kinds: <em>altered</em> (the trail is not what the engine wrote),
 * <em>unsigned</em> (keys were given but the run carries no signature), and <em>torn</em> (the
 * trail's end was interrupted: a partial last line from a crash or power loss, or lines after the
 * head or the last signature of a run that did not end; a resume drops them).
 *
 * <p>How: each line's raw bytes are hashed, and only its {@code seq}, {@code prev} and {@code type}
 * are read from its start ({@link LineHeader}); a line that does not start as {@link AuditLog}
 * writes it, or that may name an output file, is parsed in full. A line whose start is intact but
 * whose rest was edited is caught by the chain (the next line's {@code prev}, or the head), not by
 * parsing it.
 */
public final class AuditVerifier {

  private AuditVerifier() {}

  /** The worst finding about a run, from none to altered. */
  public enum Verdict {
    OK,
    TORN,
    UNSIGNED,
    ALTERED
  }

  /**
   * What to check beyond the chain.
   *
   * @param keys the trusted keys, or null to leave signatures unchecked
   */
  public record Options(TrustedKeys keys) {
    public static final Options CHAIN_ONLY = new Options(null);
  }

  /**
   * The signature as found.
   *
   * @param state {@code valid}, {@code not signed}, {@code not checked} (no keys given), {@code
   *     untrusted key} or {@code invalid}
   * @param key the signing key's fingerprint, or null
   * @param signedSeq the line the signature covers, or -1
   */
  public record SignatureState(String state, String key, long signedSeq) {}

  /**
   * The outcome for one run.
   *
   * @param problems what makes it altered or unsigned, the first being the one to look at
   * @param torn how its end was interrupted (a crash or power loss), when that is all
   * @param running whether a process is running it now (its unsigned or head-less last lines are
   *     then not findings)
   */
  public record Report(
      String runId,
      int lines,
      List<String> problems,
      List<String> torn,
      Verdict verdict,
      SignatureState signature,
      boolean running) {

    /** This report with more problems, which make it ALTERED (itself when there are none). */
    public Report alteredBy(List<String> more) {
      if (more.isEmpty()) {
        return this;
      }
      List<String> all = new ArrayList<>(problems);
      all.addAll(more);
      return new Report(runId, lines, List.copyOf(all), torn, Verdict.ALTERED, signature, running);
    }

    /** The old shape: problems only (tests and the engine's resume read it). */
    public Report(String runId, int lines, List<String> problems) {
      this(
          runId,
          lines,
          problems,
          List.of(),
          problems.isEmpty() ? Verdict.OK : Verdict.ALTERED,
          new SignatureState("not checked", null, -1),
          false);
    }

    public boolean ok() {
      return verdict == Verdict.OK;
    }

    /** Every finding, worst first. */
    public List<String> findings() {
      List<String> all = new ArrayList<>(problems);
      all.addAll(torn);
      return all;
    }
  }

  /**
   * Verifies runs on every core (each run on its own), returning the reports in the order given.
   */
  public static List<Report> verifyAll(List<RunDirectory> runs) throws IOException {
    return verifyAll(runs, Options.CHAIN_ONLY);
  }

  public static List<Report> verifyAll(List<RunDirectory> runs, Options options)
      throws IOException {
    try {
      return runs.parallelStream().map(run -> verifyUnchecked(run, options)).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Report verifyUnchecked(RunDirectory run, Options options) {
    try {
      return verify(run, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Report verify(RunDirectory run) throws IOException {
    return verify(run, Options.CHAIN_ONLY);
  }

  public static Report verify(RunDirectory run, Options options) throws IOException {
    return TrailCheck.check(run, options, null).report();
  }

  /**
   * What a resume may replay.
   *
   * @param refusal why the run must not be resumed, or null
   * @param trustedLines how many lines to keep: with keys, those the signature covers (lines a
   *     killed run wrote after its last signature are dropped, as a partial line is); else every
   *     complete line
   */
  public record ResumeCheck(String refusal, long trustedLines, Report report) {}

  /**
   * Checks a trail before {@code resume} replays it. {@code RunEngine.resume} calls it in place of
   * {@link #verify(RunDirectory)}, refuses when {@link ResumeCheck#refusal()} is not null, and
   * opens the log with {@code AuditLog.open(dir, clock, fsync, key, check.trustedLines())}.
   *
   * @param keys the trusted keys (from {@code RUNBOOK_TRUSTED_KEYS} or the engine's own public
   *     key), or null: then only the chain is checked, as before signing existed
   */
  public static ResumeCheck checkForResume(RunDirectory run, TrustedKeys keys) throws IOException {
    TrailCheck.Result result = TrailCheck.check(run, new Options(keys), null);
    Report report = result.report();
    if (!report.problems().isEmpty()) {
      return new ResumeCheck(
          "the trail of run "
              + run.runId()
              + (report.verdict() == Verdict.UNSIGNED ? " is not signed (" : " does not verify (")
              + report.problems().get(0)
              + "); it will not be resumed",
          0,
          report);
    }
    long trusted =
        keys != null && report.signature().signedSeq() >= 1
            ? report.signature().signedSeq()
            : report.lines();
    return new ResumeCheck(null, trusted, report);
  }

  /**
   * The outcome for a state directory.
   *
   * @param runs each run's report, in the order given
   * @param problems what is wrong beyond single runs: the ledger edited, runs deleted
   * @param unsigned ledger lines without a signature, when keys were given
   * @param ledgerLines how many lines the ledger has
   * @param ledgerHead the SHA-256 of the ledger's last line (ship it elsewhere to pin the set of
   *     runs), or null
   */
  public record StateReport(
      List<Report> runs,
      List<String> problems,
      List<String> unsigned,
      boolean ledgerExists,
      int ledgerLines,
      String ledgerHead) {}

  /**
   * Verifies runs of a state directory together with its ledger of runs and its run index.
   *
   * @param runs the runs to check
   * @param allRuns whether {@code runs} is every run there (then runs the ledger names but that are
   *     gone are reported)
   */
  public static StateReport verifyState(
      Path stateDir, List<RunDirectory> runs, boolean allRuns, Options options) throws IOException {
    return StateCheck.check(stateDir, runs, allRuns, options);
  }
}
