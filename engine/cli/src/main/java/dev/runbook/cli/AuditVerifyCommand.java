package dev.runbook.cli;

import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.audit.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    description =
        "Check that trails were not edited, cut, or reordered; names the first line that was. Exit code 8 if any was.")
final class AuditVerifyCommand extends BaseCommand {

  @Parameters(paramLabel = "RUN", arity = "0..*", description = "Run ids (default: every run).")
  List<String> runIds = new ArrayList<>();

  @Mixin OutputFormat output;

  @Option(
      names = "--key",
      paramLabel = "PUB",
      description =
          "A trusted public key file (repeatable; a file may hold several keys, for rotation;"
              + " default: RUNBOOK_TRUSTED_KEYS). Each run's head must then be signed by one.")
  List<Path> keys = new ArrayList<>();

  @Option(
      names = "--allow-unsigned",
      description = "With --key: report runs without a signature as UNSIGNED but do not fail.")
  boolean allowUnsigned;

  @Override
  public Integer call() throws IOException {
    TrustedKeys trusted = AuditCommand.trustedKeys(keys);
    Path stateDir = root().stateDirectory();
    if (!Files.isDirectory(stateDir)) {
      throw new UserException(
          ExitCodes.USAGE,
          "no state directory at " + stateDir + ": there is nothing to verify (--state-dir DIR?)");
    }
    List<RunDirectory> runs = new ArrayList<>();
    if (runIds.isEmpty()) {
      runs.addAll(RunSummary.runs(stateDir));
    } else {
      runIds.forEach(id -> runs.add(AuditCommand.find(stateDir, id)));
    }
    AuditVerifier.StateReport state =
        AuditVerifier.verifyState(
            stateDir, runs, runIds.isEmpty(), new AuditVerifier.Options(trusted));
    if (runs.isEmpty() && !state.ledgerExists()) {
      throw new UserException(
          ExitCodes.USAGE, "no runs in " + stateDir + ": there is nothing to verify");
    }
    int altered = 0;
    int torn = 0;
    int unsigned = 0;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AuditVerifier.Report report : state.runs()) {
      switch (report.verdict()) {
        case ALTERED -> altered++;
        case UNSIGNED -> unsigned++;
        case TORN -> torn++;
        default -> {}
      }
      if (output.json()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", report.runId());
        row.put("lines", report.lines());
        row.put("ok", report.ok());
        row.put("verdict", report.verdict().name());
        row.put("problems", report.findings());
        row.put("signature", report.signature());
        row.put("running", report.running());
        rows.add(row);
      } else if (report.ok()) {
        out()
            .println(
                report.runId()
                    + "  ok ("
                    + report.lines()
                    + " lines"
                    + signatureText(report, trusted)
                    + (report.running() ? "; running now" : "")
                    + ")");
      } else {
        out()
            .println(
                report.runId()
                    + "  "
                    + report.verdict()
                    + ": "
                    + Visible.text(report.findings().get(0)));
        report.findings().stream()
            .skip(1)
            .forEach(p -> out().println("    also: " + Visible.text(p)));
      }
    }
    for (String problem : state.problems()) {
      if (!output.json()) {
        out().println("ledger  ALTERED: " + problem);
      }
    }
    for (String problem : state.unsigned()) {
      if (!output.json()) {
        out().println("ledger  UNSIGNED: " + problem);
      }
    }
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("runs", rows);
      json.put(
          "ledger",
          Map.of(
              "exists", state.ledgerExists(),
              "lines", state.ledgerLines(),
              "problems", state.problems(),
              "unsigned", state.unsigned()));
      printJson(json);
    } else {
      out()
          .println(
              runs.size()
                  + " run"
                  + (runs.size() == 1 ? "" : "s")
                  + " checked, "
                  + altered
                  + " altered"
                  + (torn > 0 ? ", " + torn + " torn" : "")
                  + (unsigned > 0 ? ", " + unsigned + " unsigned" : "")
                  + (state.ledgerExists()
                      ? "; ledger "
                          + state.ledgerLines()
                          + " lines"
                          + (state.problems().isEmpty() ? " ok" : " ALTERED")
                          + (state.ledgerHead() == null
                              ? ""
                              : ", last line sha256 " + state.ledgerHead())
                      : "; no ledger"));
    }
    return AuditCommand.exitCode(state.runs(), state.problems(), state.unsigned(), allowUnsigned);
  }

  private static String signatureText(AuditVerifier.Report report, TrustedKeys trusted) {
    AuditVerifier.SignatureState signature = report.signature();
    if (trusted == null) {
      return signature.key() == null ? ", unsigned" : ", signature not checked";
    }
    return signature.state().equals("valid")
        ? ", signed by " + signature.key()
        : ", " + signature.state();
  }
}
