package dev.runbook.cli;

import dev.runbook.demo.DemoLab;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    description = {
      "Run ALM-45654 for real on two embedded SSH servers, then show its audit trail.",
      "The servers listen on 127.0.0.1 and stand in for MRS hosts whose Flink HA certificate",
      "expires in 10 days. Needs nothing beyond Java (and openssl, which the stand-in hosts use)."
    })
final class DemoCommand extends BaseCommand {

  @Option(
      names = "--keep",
      description = "Keep the demo directory (hosts' files, keys, trail) instead of deleting it.")
  boolean keep;

  @Override
  public Integer call() throws IOException, InterruptedException, Refused {
    Path dir = Files.createTempDirectory("runbook-demo-");
    try (DemoLab lab = DemoLab.start(dir)) {
      System.setProperty("runbook.ssh.config", lab.sshConfig().toString());
      out()
          .println(
              "Demo: two embedded SSH servers on 127.0.0.1 (ports "
                  + lab.ports().get(0)
                  + " and "
                  + lab.ports().get(1)
                  + ") stand in for "
                  + DemoLab.ACTIVE
                  + " and "
                  + DemoLab.STANDBY
                  + ".");
      out()
          .println(
              "Their Flink HA certificate (" + lab.tree().certificate() + ") expires in 10 days.");
      out()
          .println(
              "Running ALM-45654 for real. The document's 1-minute wait is shortened to 3 s, and the steps a person");
      out()
          .println(
              "would confirm are answered for you (--answer). Everything is recorded in the audit trail.");
      out().println();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("HostName", DemoLab.ACTIVE);
      params.put("StandbyHost", DemoLab.STANDBY);
      params.put("BIGDATA_HOME", lab.tree().home().toString());
      params.put("ClearWait", "3s");
      Path state = dir.resolve("state");
      // The demo's own state directory, deleted with the lab unless --keep: never the user's.
      Engine engine =
          Engine.builder()
              .runbooks(root().libraryPaths())
              .stateDir(state)
              .identity(Runs::machine, Version.current())
              .build();
      Runbook runbook = engine.runbook("ALM-45654");
      RunRequest request =
          new RunRequest(
              "ALM-45654",
              params,
              Answers.given(
                  Map.of(
                      "find-alarm-host", "yes", "wait-for-off-peak", "yes", "periodic-check", "no"),
                  Map.of(),
                  null),
              Answerer.NOBODY,
              Duration.ZERO,
              Runs.who());
      RunResult result = engine.run(request, ConsoleListener.forTerminal(out()));
      RunDirectory run = RunDirectory.find(state, result.runId());
      out().println();
      out().println("The audit trail of that run (runbook audit show):");
      new TimelinePrinter(out(), run, keep).print(AuditTrail.read(run), RunSummary.of(run));
      AuditVerifier.Report report = AuditVerifier.verify(run);
      out()
          .println(
              "runbook audit verify: "
                  + (report.ok()
                      ? "ok, " + report.lines() + " lines, hash chain intact"
                      : report.problems().get(0)));
      out()
          .println(
              "The certificate is now valid for more than 30 days: "
                  + lab.tree().validForMoreThan(30));
      if (keep) {
        out()
            .println(
                "Kept "
                    + dir
                    + " (review with: runbook --state-dir "
                    + state
                    + " audit show "
                    + result.runId()
                    + ")");
      } else {
        out().println("The demo's lab and state directory are deleted now (--keep keeps them).");
      }
      return Runs.finish(
          result, runbook, state, new PrintWriter(OutputStream.nullOutputStream()), err());
    } finally {
      System.clearProperty("runbook.ssh.config");
      if (!keep) {
        delete(dir);
      }
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
