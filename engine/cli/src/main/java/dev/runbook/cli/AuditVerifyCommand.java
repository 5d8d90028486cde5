package dev.runbook.cli;

import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
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
        "Check that trails were not edited, cut, or reordered; names the first line that was. Exit code 8 if any was.",
    footer = {
      "",
      "Reads the state directory (--state-dir), a directory 'audit export' wrote,",
      "or with --store URL the runs in a shared store: each run's lines, head,",
      "signature and output files are checked the same way. A store and an export",
      "have no ledger of runs: a run deleted whole from them cannot be told (said",
      "after the result).",
      "",
      "Exit codes: 0 ok; 2 usage (or a store that cannot be read); 8 altered (or",
      "unsigned with --key); 9 a trail's end torn by a crash."
    })
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
    if (root().storeUrl() == null && !Files.isDirectory(root().stateDirectory())) {
      throw new UserException(
          ExitCodes.USAGE,
          "no state directory at "
              + root().stateDirectory()
              + ": there is nothing to verify (--state-dir DIR? --store URL?)");
    }
    try (AuditSource source = AuditSource.open(this, runIds)) {
      return verify(source, trusted);
    }
  }

  private int verify(AuditSource source, TrustedKeys trusted) throws IOException {
    List<RunDirectory> runs = new ArrayList<>();
    if (runIds.isEmpty() || source.kind() == AuditSource.Kind.STORE) {
      runs.addAll(source.runs()); // a store's copy holds the runs asked for, no more
    } else {
      runIds.forEach(id -> runs.add(source.find(id)));
    }
    AuditVerifier.StateReport state =
        source.verify(runs, runIds.isEmpty(), new AuditVerifier.Options(trusted));
    if (runs.isEmpty() && !state.ledgerExists() && state.problems().isEmpty()) {
      throw new UserException(
          ExitCodes.USAGE, "no runs in " + source.name() + ": there is nothing to verify");
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
    String whole = source.kind() == AuditSource.Kind.STATE_DIRECTORY ? "ledger" : "runs";
    for (String problem : state.problems()) {
      if (!output.json()) {
        out().println(whole + "  ALTERED: " + Visible.text(problem));
      }
    }
    for (String problem : state.unsigned()) {
      if (!output.json()) {
        out().println("ledger  UNSIGNED: " + problem);
      }
    }
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put(
          "source",
          Map.of("kind", AuditCommand.lower(source.kind().name()), "name", source.name()));
      json.put("runs", rows);
      json.put(
          "ledger",
          Map.of(
              "exists", state.ledgerExists(),
              "lines", state.ledgerLines(),
              "problems", state.problems(),
              "unsigned", state.unsigned()));
      if (source.limits() != null) {
        json.put("notChecked", source.limits());
      }
      printJson(json);
    } else {
      out()
          .println(
              runs.size()
                  + " run"
                  + (runs.size() == 1 ? "" : "s")
                  + " checked"
                  + (source.kind() == AuditSource.Kind.STORE ? " in " + source.name() : "")
                  + ", "
                  + altered
                  + " altered"
                  + (torn > 0 ? ", " + torn + " torn" : "")
                  + (unsigned > 0 ? ", " + unsigned + " unsigned" : "")
                  + ledgerText(source, state));
      if (source.limits() != null) {
        out().println("not checked: " + source.limits());
      }
    }
    return AuditCommand.exitCode(state.runs(), state.problems(), state.unsigned(), allowUnsigned);
  }

  private static String ledgerText(AuditSource source, AuditVerifier.StateReport state) {
    return switch (source.kind()) {
      case STORE -> "; no ledger of runs in a store";
      case EXPORT ->
          "; "
              + ExportManifest.FILE
              + " lists "
              + state.ledgerLines()
              + " run"
              + (state.ledgerLines() == 1 ? "" : "s")
              + (state.problems().isEmpty() ? ", all there" : ", ALTERED");
      case STATE_DIRECTORY ->
          state.ledgerExists()
              ? "; ledger "
                  + state.ledgerLines()
                  + " lines"
                  + (state.problems().isEmpty() ? " ok" : " ALTERED")
                  + (state.ledgerHead() == null ? "" : ", last line sha256 " + state.ledgerHead())
              : "; no ledger";
    };
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
