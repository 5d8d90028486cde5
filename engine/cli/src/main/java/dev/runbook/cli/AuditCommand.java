package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditVerifier;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.audit.TrustedKeys;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "audit",
    description = "Review what runs did, and prove their trails were not altered.",
    subcommands = {
      AuditListCommand.class,
      AuditShowCommand.class,
      AuditVerifyCommand.class,
      AuditReportCommand.class,
      AuditExportCommand.class,
      AuditKeygenCommand.class
    })
final class AuditCommand implements Runnable {

  @ParentCommand RunbookCommand root;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static RunDirectory find(Path stateDir, String runId) {
    try {
      return RunDirectory.find(stateDir, runId);
    } catch (IllegalArgumentException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /**
   * The trusted keys: the {@code --key} files, else those of {@link TrustedKeys#ENVIRONMENT}
   * (colon-separated files), else null (signatures not checked).
   */
  static TrustedKeys trustedKeys(List<Path> keyFiles) {
    try {
      return keyFiles == null || keyFiles.isEmpty()
          ? TrustedKeys.fromEnvironment()
          : TrustedKeys.load(keyFiles);
    } catch (SigningKey.Unusable e) {
      throw new UserException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** What a verified run's status reads as in a list or a timeline's heading. */
  static String shownStatus(String status, AuditVerifier.Report report) {
    if (report != null && report.verdict() == AuditVerifier.Verdict.ALTERED) {
      return "ALTERED";
    }
    String shown = "stopped".equals(status) ? "stopped (crashed or killed)" : status;
    if (report != null && report.verdict() == AuditVerifier.Verdict.UNSIGNED) {
      return shown + ", UNSIGNED";
    }
    if (report != null && report.verdict() == AuditVerifier.Verdict.TORN) {
      return shown + ", TORN";
    }
    return shown;
  }

  /** The exit code for verification reports. */
  static int exitCode(
      List<AuditVerifier.Report> reports,
      List<String> stateProblems,
      List<String> stateUnsigned,
      boolean allowUnsigned) {
    boolean altered =
        !stateProblems.isEmpty()
            || reports.stream().anyMatch(r -> r.verdict() == AuditVerifier.Verdict.ALTERED);
    boolean unsigned =
        !stateUnsigned.isEmpty()
            || reports.stream().anyMatch(r -> r.verdict() == AuditVerifier.Verdict.UNSIGNED);
    boolean torn = reports.stream().anyMatch(r -> !r.torn().isEmpty());
    if (altered || (unsigned && !allowUnsigned)) {
      return ExitCodes.AUDIT_BROKEN;
    }
    return torn ? ExitCodes.AUDIT_TORN : ExitCodes.OK;
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  static boolean isStep(AuditEvent event) {
    return event instanceof AuditEvent.StepStarted;
  }
}
