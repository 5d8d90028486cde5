package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>How: each line's raw bytes are hashed, and only its {@code seq}, {@code prev} and {@code type}
 * are read from its start ({@link LineHeader}); a line that does not start as {@link AuditLog}
 * writes it, or that may name an output file, is parsed in full. A line whose start is intact but
 * whose rest was edited is caught by the chain (the next line's {@code prev}, or the head), not by
 * parsing it.
 */
public final class AuditVerifier {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private AuditVerifier() {}

  /** The outcome: the problems in line order, the first being the one to look at. */
  public record Report(String runId, int lines, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Verifies runs on every core (each run on its own), returning the reports in the order given.
   */
  public static List<Report> verifyAll(List<RunDirectory> runs) throws IOException {
    try {
      return runs.parallelStream().map(AuditVerifier::verifyUnchecked).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Report verifyUnchecked(RunDirectory run) {
    try {
      return verify(run);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the chain check needs to know about one line. */
  private record LineFacts(long seq, boolean valid, boolean chains) {}

  /** An output file a line records, to check after the chain. */
  private record RecordedOutput(int line, AuditEvent.OutputRecord output) {}

  public static Report verify(RunDirectory run) throws IOException {
    byte[] content;
    try {
      content = Files.readAllBytes(run.events());
    } catch (NoSuchFileException e) {
      content = new byte[0];
    }
    List<String> problems = new ArrayList<>();
    List<String> headProblems = new ArrayList<>();
    boolean headMissing = false;
    Head head;
    try {
      head = readHead(run, headProblems);
    } catch (NoSuchFileException e) {
      head = null;
      headMissing = true;
    }

    List<LineFacts> lines = new ArrayList<>();
    List<RecordedOutput> outputs = new ArrayList<>();
    MessageDigest digest = Hashes.digest();
    byte[] hash = new byte[32];
    byte[] previousHex = AuditLog.GENESIS.getBytes(StandardCharsets.US_ASCII);
    byte[] lineHex = new byte[64];
    String headLineHex = null;
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] != '\n') {
        continue;
      }
      int n = lines.size() + 1;
      LineHeader header = LineHeader.read(content, start, i);
      if (header != null && !LineHeader.mayRecordOutput(header, content, start, i)) {
        boolean chains =
            Arrays.equals(
                content, header.prevOffset(), header.prevOffset() + 64, previousHex, 0, 64);
        lines.add(new LineFacts(header.seq(), true, chains));
      } else {
        AuditTrail.Line line = AuditTrail.parseLine(n, Arrays.copyOfRange(content, start, i));
        boolean valid = line.json() != null && line.event() != null;
        String prev = line.prev();
        boolean chains =
            prev.length() == 64
                && Arrays.equals(prev.getBytes(StandardCharsets.ISO_8859_1), previousHex);
        lines.add(new LineFacts(line.seq(), valid, chains));
        if (line.event() instanceof AuditEvent.StepFinished finished && finished.output() != null) {
          outputs.add(new RecordedOutput(n, finished.output()));
        }
      }
      digest.update(content, start, i - start);
      try {
        digest.digest(hash, 0, hash.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 is 32 bytes", e);
      }
      toHex(hash, lineHex);
      byte[] swap = previousHex;
      previousHex = lineHex;
      lineHex = swap;
      if (head != null && head.seq() == n) {
        headLineHex = new String(previousHex, StandardCharsets.US_ASCII);
      }
      start = i + 1;
    }

    checkChain(lines, problems);
    if (head != null) {
      checkHead(head, lines.size(), headLineHex, problems);
    } else if (headMissing && !lines.isEmpty()) {
      problems.add("events.head is missing: cannot tell whether lines were cut off the end");
    } else {
      problems.addAll(headProblems);
    }
    if (start < content.length) {
      problems.add(
          "line "
              + (lines.size() + 1)
              + " is cut off (the writer stopped mid-line, or the file was truncated)");
    }
    checkOutputs(run, outputs, problems);
    return new Report(run.runId(), lines.size(), List.copyOf(problems));
  }

  private static void checkChain(List<LineFacts> lines, List<String> problems) {
    Set<Long> seqs = null;
    for (int index = 0; index < lines.size(); index++) {
      LineFacts line = lines.get(index);
      int n = index + 1;
      if (!line.valid()) {
        problems.add("line " + n + " is not a valid event: it was edited");
      } else if (line.seq() != n) {
        if (seqs == null) {
          seqs = new HashSet<>();
          for (LineFacts l : lines) {
            seqs.add(l.seq());
          }
        }
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
      } else if (!line.chains()) {
        problems.add(
            n == 1
                ? "line 1 does not start the chain: it was edited"
                : "line " + (n - 1) + " was edited (line " + n + " does not chain to it)");
      }
    }
  }

  /** What {@code events.head} records: the count and hash of the last synced line. */
  private record Head(long seq, String hash) {}

  /** The head, or null with the problem added when it is not JSON. */
  private static Head readHead(RunDirectory run, List<String> problems) throws IOException {
    byte[] bytes = Files.readAllBytes(run.head()); // NoSuchFileException: the caller reports it
    Head written = asWritten(bytes);
    if (written != null) {
      return written;
    }
    JsonNode head;
    try {
      head = AuditLog.MAPPER.readTree(bytes);
    } catch (IOException e) {
      problems.add("events.head is not readable: it was edited");
      return null;
    }
    if (head == null) {
      head = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    return new Head(head.path("seq").asLong(-1), head.path("hash").asText(""));
  }

  /**
   * The head as {@link AuditLog} writes it ({@code {"seq":N,"hash":"…"}} and a newline), read
   * without a JSON parser (10,000 runs, 10,000 heads), or null for anything else.
   */
  private static Head asWritten(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String prefix = "{\"seq\":";
    String middle = ",\"hash\":\"";
    String suffix = "\"}\n";
    int hashAt = text.indexOf(middle);
    if (!text.startsWith(prefix)
        || hashAt < 0
        || text.length() != hashAt + middle.length() + 64 + suffix.length()
        || !text.endsWith(suffix)) {
      return null;
    }
    String seq = text.substring(prefix.length(), hashAt);
    String hash = text.substring(hashAt + middle.length(), hashAt + middle.length() + 64);
    if (seq.isEmpty()
        || seq.length() > 18
        || seq.charAt(0) == '0'
        || !seq.chars().allMatch(c -> c >= '0' && c <= '9')
        || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return null;
    }
    return new Head(Long.parseLong(seq), hash);
  }

  private static void checkHead(Head head, int lines, String headLineHex, List<String> problems) {
    if (head.seq() > lines) {
      problems.add(
          "the trail ends at line "
              + lines
              + " but its head records line "
              + head.seq()
              + ": the end was cut off");
    } else if (head.seq() >= 1 && !head.hash().equals(headLineHex)) {
      problems.add(
          "line " + head.seq() + " was edited (it does not match the hash in events.head)");
    }
  }

  private static void checkOutputs(
      RunDirectory run, List<RecordedOutput> outputs, List<String> problems) throws IOException {
    for (RecordedOutput recorded : outputs) {
      AuditEvent.OutputRecord output = recorded.output();
      Path file = run.path().resolve(output.file()).normalize();
      if (!file.startsWith(run.path())) {
        problems.add(
            "line " + recorded.line() + " points outside the run directory: it was edited");
      } else if (!Files.exists(file)) {
        problems.add(output.file() + " (output of line " + recorded.line() + ") is missing");
      } else if (!sha256(file).equals(output.sha256())) {
        problems.add(
            output.file()
                + " (output of line "
                + recorded.line()
                + ") was altered: its hash differs");
      }
    }
  }

  private static void toHex(byte[] hash, byte[] hex) {
    for (int i = 0; i < hash.length; i++) {
      hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[hash[i] & 0xf];
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
