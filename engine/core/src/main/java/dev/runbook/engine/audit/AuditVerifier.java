package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks a run's trail: every line chains to the one before, sequence numbers run 1, 2, 3 without
 * gaps, the file is as long as its head says, and every output file has the hash its step recorded.
 * Names the first line that was edited, removed, reordered or cut off.
 *
 * <p>What it proves: the trail was not changed by anyone who did not also recompute every later
 * hash and the head. The chain is unkeyed, so someone with write access who does recompute them is
 * not caught; ship {@code events.head} hashes elsewhere for that.
 */
public final class AuditVerifier {

  private AuditVerifier() {}

  /** The outcome: the problems in line order, the first being the one to look at. */
  public record Report(String runId, int lines, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  public static Report verify(RunDirectory run) throws IOException {
    AuditTrail trail = AuditTrail.read(run);
    List<String> problems = new ArrayList<>();
    List<AuditTrail.Line> lines = trail.lines();
    Set<Long> seqs = new HashSet<>();
    lines.forEach(l -> seqs.add(l.seq()));
    String previousHash = AuditLog.GENESIS;
    for (AuditTrail.Line line : lines) {
      int n = line.number();
      if (line.json() == null || line.event() == null) {
        problems.add("line " + n + " is not a valid event: it was edited");
      } else if (line.seq() != n) {
        if (line.seq() > n && !seqs.contains((long) n)) {
          problems.add(
              "line "
                  + n
                  + " has seq "
                  + line.seq()
                  + " where "
                  + n
                  + " was expected: line "
                  + n
                  + (line.seq() - n > 1 ? " to " + (line.seq() - 1) : "")
                  + " was removed");
        } else {
          problems.add(
              "line "
                  + n
                  + " has seq "
                  + line.seq()
                  + " where "
                  + n
                  + " was expected: lines were reordered");
        }
      } else if (!line.prev().equals(previousHash)) {
        problems.add(
            n == 1
                ? "line 1 does not start the chain: it was edited"
                : "line " + (n - 1) + " was edited (line " + n + " does not chain to it)");
      }
      previousHash = line.hash();
    }
    checkHead(run, lines, problems);
    if (trail.hasPartialLine()) {
      problems.add(
          "line "
              + (lines.size() + 1)
              + " is cut off (the writer stopped mid-line, or the file was truncated)");
    }
    checkOutputs(run, lines, problems);
    return new Report(run.runId(), lines.size(), List.copyOf(problems));
  }

  private static void checkHead(
      RunDirectory run, List<AuditTrail.Line> lines, List<String> problems) throws IOException {
    JsonNode head;
    try {
      head = AuditLog.MAPPER.readTree(Files.readAllBytes(run.head()));
    } catch (NoSuchFileException e) {
      if (!lines.isEmpty()) {
        problems.add("events.head is missing: cannot tell whether lines were cut off the end");
      }
      return;
    } catch (IOException e) {
      problems.add("events.head is not readable: it was edited");
      return;
    }
    long headSeq = head.path("seq").asLong(-1);
    String headHash = head.path("hash").asText("");
    if (headSeq > lines.size()) {
      problems.add(
          "the trail ends at line "
              + lines.size()
              + " but its head records line "
              + headSeq
              + ": the end was cut off");
    } else if (headSeq >= 1 && !lines.get((int) headSeq - 1).hash().equals(headHash)) {
      problems.add("line " + headSeq + " was edited (it does not match the hash in events.head)");
    }
  }

  private static void checkOutputs(
      RunDirectory run, List<AuditTrail.Line> lines, List<String> problems) throws IOException {
    for (AuditTrail.Line line : lines) {
      if (line.event() instanceof AuditEvent.StepFinished finished && finished.output() != null) {
        AuditEvent.OutputRecord output = finished.output();
        Path file = run.path().resolve(output.file()).normalize();
        if (!file.startsWith(run.path())) {
          problems.add(
              "line " + line.number() + " points outside the run directory: it was edited");
        } else if (!Files.exists(file)) {
          problems.add(output.file() + " (output of line " + line.number() + ") is missing");
        } else if (!sha256(file).equals(output.sha256())) {
          problems.add(
              output.file()
                  + " (output of line "
                  + line.number()
                  + ") was altered: its hash differs");
        }
      }
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = Hashes.digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
