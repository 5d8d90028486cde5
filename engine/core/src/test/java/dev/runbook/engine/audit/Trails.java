package dev.runbook.engine.audit;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Trails written by the real {@link AuditLog}, shaped like the engine's runs. */
final class Trails {

  private Trails() {}

  static AuditEvent.RunStarted started(RunDirectory run) {
    return new AuditEvent.RunStarted(
        run.runId(),
        "ALM-45654",
        "Flink HA certificate is about to expire",
        List.of("ALM-45654"),
        "runbooks/mrs/ALM-45654.yaml",
        "ab".repeat(32),
        Map.of("HostName", "mrs-node-1"),
        null,
        "alice",
        "ops-1",
        "test");
  }

  /** A run that read a certificate, decided to renew it, renewed it and resolved. */
  static RunDirectory resolved(Path state, SigningKey key) throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    byte[] output = "out| certificate renewed\n".getBytes(StandardCharsets.UTF_8);
    Files.write(run.outputs().resolve("renew@1.log"), output);
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, key)) {
      log.append(started(run));
      log.append(
          new AuditEvent.StepStarted("read@1", "read", "2", null, "action", 1, "active", true));
      log.append(
          new AuditEvent.StepFinished(
              "read@1",
              AuditEvent.StepStatus.SUCCEEDED,
              null,
              null,
              5,
              null,
              null,
              Map.of("daysLeft", 9),
              null,
              "omm@10.0.0.5:22 (mrs-node-1)"));
      log.append(
          new AuditEvent.StepStarted(
              "still-valid@1", "still-valid", "4", null, "decision", 1, null, null));
      log.append(
          new AuditEvent.Decision(
              "still-valid@1",
              "steps['read'].daysLeft > 30",
              Map.of("steps.read.daysLeft", 9),
              false,
              "renew"));
      log.append(
          new AuditEvent.StepFinished(
              "still-valid@1",
              AuditEvent.StepStatus.SUCCEEDED,
              false,
              null,
              0,
              null,
              null,
              null,
              null,
              null));
      log.append(
          new AuditEvent.StepStarted("renew@1", "renew", "6", null, "action", 1, "active", false));
      log.append(
          new AuditEvent.CommandRendered("renew@1", "active", "sh proceed_ha_ssl_cert.sh", true));
      log.append(
          new AuditEvent.StepFinished(
              "renew@1",
              AuditEvent.StepStatus.SUCCEEDED,
              null,
              0L,
              12,
              null,
              null,
              Map.of("exitCode", 0),
              new AuditEvent.OutputRecord(
                  "outputs/renew@1.log",
                  output.length,
                  Hashes.sha256(output),
                  "out| certificate renewed"),
              "omm@10.0.0.5:22 (mrs-node-1)"));
      log.append(
          new AuditEvent.RunFinished(Outcome.RESOLVED, "No further action is required.", 40));
    }
    return run;
  }

  /** A run paused at a question that was answered "no". */
  static RunDirectory paused(Path state, SigningKey key) throws IOException {
    RunDirectory run = RunDirectory.create(state, Clock.systemUTC());
    try (AuditLog log = AuditLog.open(run, Clock.systemUTC(), true, key)) {
      log.append(started(run));
      log.append(
          new AuditEvent.StepStarted("renew-now@1", "renew-now", "5", null, "ask", 1, null, null));
      log.append(
          new AuditEvent.Answered(
              "renew-now@1", "Renew the certificate now?", "no", "alice", "--answer"));
      log.append(
          new AuditEvent.StepFinished(
              "renew-now@1",
              AuditEvent.StepStatus.SUCCEEDED,
              false,
              null,
              0,
              null,
              null,
              null,
              null,
              null));
      log.append(
          new AuditEvent.StepStarted("off-peak@1", "off-peak", "5", null, "manual", 1, null, null));
      log.append(
          new AuditEvent.Paused(
              "off-peak@1", "Wait for off-peak hours, then continue", "no answer"));
    }
    return run;
  }

  static SigningKey newKey(Path dir, String name) throws IOException {
    KeyPair pair = SigningKey.generate();
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".key");
    Files.writeString(file, SigningKey.privateFileText(pair));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(dir.resolve(name + ".pub"), SigningKey.publicFileText(pair.getPublic()));
    return SigningKey.load(file, null);
  }

  static TrustedKeys trust(SigningKey... keys) {
    return TrustedKeys.of(Arrays.stream(keys).map(SigningKey::publicKey).toList());
  }
}
