package dev.runbook.engine.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state directory as a whole: every run checked ({@link TrailCheck}) against the ledger of runs
 * and the run index, and the ledger itself checked, so that a deleted, swapped or invented run is
 * found, not only an edited one.
 */
final class StateCheck {

  private StateCheck() {}

  static AuditVerifier.StateReport check(
      Path stateDir, List<RunDirectory> runs, boolean allRuns, AuditVerifier.Options options)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> unsigned = new ArrayList<>();
    Ledger.Contents ledger = Ledger.read(stateDir);
    problems.addAll(ledger.problems());
    Set<Integer> authentic = Set.of();
    if (options.keys() != null && !ledger.entries().isEmpty()) {
      Ledger.Signatures signatures =
          Ledger.checkSignatures(ledger.entries(), options.keys(), ledger.problems().isEmpty());
      problems.addAll(signatures.altered());
      unsigned.addAll(signatures.unsigned());
      // Only a whole chain lets a signature vouch for the lines before it.
      authentic = ledger.problems().isEmpty() ? signatures.authentic() : Set.of();
    }
    Set<Integer> authenticLines = authentic;
    Map<String, List<Ledger.Entry>> byRun = new LinkedHashMap<>();
    for (Ledger.Entry entry : ledger.entries()) {
      byRun.computeIfAbsent(entry.run(), r -> new ArrayList<>()).add(entry);
    }
    String firstLedgerRun = ledger.entries().isEmpty() ? null : ledger.entries().get(0).run();
    Map<String, RunIndex.Entry> index = RunIndex.read(stateDir);
    List<TrailCheck.Result> results;
    try {
      results =
          runs.parallelStream()
              .map(
                  run -> {
                    boolean expected =
                        firstLedgerRun != null && run.runId().compareTo(firstLedgerRun) >= 0;
                    try {
                      List<Ledger.Entry> entries = byRun.getOrDefault(run.runId(), List.of());
                      Ledger.Entry latest =
                          entries.isEmpty() ? null : entries.get(entries.size() - 1);
                      TrailCheck.Result result =
                          TrailCheck.check(
                              run,
                              options,
                              new TrailCheck.Context(
                                  entries,
                                  expected,
                                  latest != null && authenticLines.contains(latest.number())
                                      ? latest
                                      : null));
                      return new TrailCheck.Result(
                          withIndexCheck(result, run, index.get(run.runId())),
                          result.currentHead(),
                          result.summary());
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (!ledger.exists() && results.stream().anyMatch(TrailCheck.Result::currentHead)) {
      problems.add(
          "ledger.jsonl is missing, but runs here were written by an engine that keeps it: it"
              + " was deleted (runs deleted with it cannot be told)");
    }
    if (allRuns) {
      Set<String> present = runs.stream().map(RunDirectory::runId).collect(Collectors.toSet());
      byRun.forEach(
          (run, entries) -> {
            if (!present.contains(run)) {
              problems.add(
                  "run "
                      + run
                      + " is in the ledger (line "
                      + entries.get(0).number()
                      + ", "
                      + entries.get(entries.size() - 1).event()
                      + ") but its directory is gone: it was deleted");
            }
          });
    }
    String ledgerHead =
        ledger.entries().isEmpty()
            ? null
            : ledger.entries().get(ledger.entries().size() - 1).lineHash();
    return new AuditVerifier.StateReport(
        results.stream().map(TrailCheck.Result::report).toList(),
        List.copyOf(problems),
        List.copyOf(unsigned),
        ledger.exists(),
        ledger.entries().size(),
        ledgerHead);
  }

  /**
   * An index entry that is current (its trail as long and as old as when it was written) must say
   * what the trail says: one edited with its checksum recomputed would make {@code audit list} show
   * a forged outcome.
   */
  private static AuditVerifier.Report withIndexCheck(
      TrailCheck.Result result, RunDirectory run, RunIndex.Entry entry) throws IOException {
    AuditVerifier.Report report = result.report();
    if (entry == null || result.summary() == null || !entry.isCurrent(run)) {
      return report;
    }
    RunSummary fromTrail = result.summary();
    RunSummary fromIndex = entry.summary();
    if (sameSummary(fromIndex, fromTrail)) {
      return report;
    }
    String problem =
        "run-index.tsv says this run is '"
            + fromIndex.status()
            + "'"
            + (fromIndex.status().equals(fromTrail.status()) ? " with other details" : "")
            + " but its trail says '"
            + fromTrail.status()
            + "': the index was edited";
    return report.alteredBy(List.of(problem));
  }

  static boolean sameSummary(RunSummary a, RunSummary b) {
    return Objects.equals(a.runId(), b.runId())
        && Objects.equals(a.runbook(), b.runbook())
        && Objects.equals(a.title(), b.title())
        && Objects.equals(a.alarms(), b.alarms())
        && Objects.equals(a.operator(), b.operator())
        && Objects.equals(a.machine(), b.machine())
        && Objects.equals(new HashMap<>(nonNull(a.params())), new HashMap<>(nonNull(b.params())))
        && Objects.equals(a.started(), b.started())
        && Objects.equals(a.ended(), b.ended())
        && Objects.equals(a.status(), b.status())
        && Objects.equals(a.message(), b.message());
  }

  private static Map<String, String> nonNull(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
