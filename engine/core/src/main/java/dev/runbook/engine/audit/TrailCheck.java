package dev.runbook.engine.audit;

import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** One run's trail checked line by line, with its head, signature and (given) ledger entries. */
final class TrailCheck {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * What the state-wide check knows about this run.
   *
   * @param authenticLatest the ledger's latest line for this run when its signature (or a later
   *     line's vouching for it) was checked against the trusted keys, else null
   */
  record Context(
      List<Ledger.Entry> ledgerEntries, boolean ledgerShouldHaveIt, Ledger.Entry authenticLatest) {}

  /**
   * The report, and what the state-wide check needs next.
   *
   * @param summary the run as {@code audit list} shows it, read from the trail's first line and its
   *     last status line, or null when the trail has no {@code run.started}
   */
  record Result(AuditVerifier.Report report, boolean currentHead, RunSummary summary) {}

  /** What the chain check needs to know about one line. */
  /**
   * What the check needs of one line.
   *
   * @param reopens for {@code run.finished}: it ended the run as failed; for {@code run.resumed}:
   *     it retries the failed step ({@code runbook resume --retry-failed}). Only such a pair may
   *     follow a {@code run.finished}.
   */
  private record LineFacts(long seq, boolean valid, boolean chains, String type, boolean reopens) {}

  /** An output file a line records, to check after the chain. */
  private record RecordedOutput(int line, AuditEvent.OutputRecord output) {}

  private final RunDirectory run;
  private final List<String> altered = new ArrayList<>();
  private final List<String> unsigned = new ArrayList<>();
  private final List<String> torn = new ArrayList<>();
  private final List<LineFacts> lines = new ArrayList<>();
  private final List<RecordedOutput> outputs = new ArrayList<>();
  private byte[] hashes = new byte[32 * 64];
  private boolean partial;
  private AuditTrail.Line first;
  private AuditTrail.Line lastStatus;

  private TrailCheck(RunDirectory run) {
    this.run = run;
  }

  static Result check(RunDirectory run, AuditVerifier.Options options, Context context)
      throws IOException {
    return new TrailCheck(run).run(options, context);
  }

  private Result run(AuditVerifier.Options options, Context context) throws IOException {
    boolean running = RunActivity.isRunning(run);
    byte[] content = readOrNull(run.events(), "events.jsonl");
    TrailHead head = null;
    boolean headMissing = false;
    byte[] headBytes = readOrNull(run.head(), "events.head");
    // An empty head is what a kill between opening the trail and its first head write leaves:
    // as good as none (and reported the same way, so an emptied head is no better than deleted).
    if (headBytes == null || headBytes.length == 0) {
      headMissing = true;
    } else {
      head = TrailHead.parse(headBytes);
    }
    if (content == null) {
      content = new byte[0];
    }
    scan(content);
    checkChain();
    checkIdentity(head);
    checkSeal();
    checkHead(head, headMissing, headBytes, running);
    AuditVerifier.SignatureState signature =
        checkSignature(head, options, running, context == null ? null : context.authenticLatest());
    if (context != null) {
      checkLedger(context);
    }
    checkOutputs();
    List<String> problems = new ArrayList<>(altered);
    problems.addAll(unsigned);
    AuditVerifier.Verdict verdict =
        !altered.isEmpty()
            ? AuditVerifier.Verdict.ALTERED
            : !unsigned.isEmpty()
                ? AuditVerifier.Verdict.UNSIGNED
                : !torn.isEmpty() ? AuditVerifier.Verdict.TORN : AuditVerifier.Verdict.OK;
    AuditVerifier.Report report =
        new AuditVerifier.Report(
            run.runId(),
            lines.size(),
            List.copyOf(problems),
            List.copyOf(torn),
            verdict,
            signature,
            running);
    return new Result(report, head != null && head.current(), summary(running));
  }

  /** The file's bytes, null when it does not exist; a planted non-file is reported. */
  private byte[] readOrNull(Path file, String name) throws IOException {
    try {
      return TrailFiles.read(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (TrailFiles.NotRegularFile e) {
      altered.add(e.getMessage());
      return null;
    }
  }

  private void scan(byte[] content) {
    MessageDigest digest = Hashes.digest();
    byte[] hash = new byte[32];
    byte[] previousHex = AuditLog.GENESIS.getBytes(StandardCharsets.US_ASCII);
    byte[] lineHex = new byte[64];
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] != '\n') {
        continue;
      }
      int n = lines.size() + 1;
      LineHeader header = n == 1 ? null : LineHeader.read(content, start, i);
      if (header != null && !LineHeader.mayRecordOutput(header, content, start, i)) {
        boolean chains =
            Arrays.equals(
                content, header.prevOffset(), header.prevOffset() + 64, previousHex, 0, 64);
        lines.add(
            new LineFacts(
                header.seq(),
                true,
                chains,
                header.type(),
                reopens(header.type(), n, content, start, i)));
        if (isStatus(header.type())) {
          lastStatusFrom = start;
          lastStatusTo = i;
        }
      } else {
        AuditTrail.Line line = AuditTrail.parseLine(n, Arrays.copyOfRange(content, start, i));
        boolean valid = line.json() != null && line.event() != null;
        String prev = line.prev();
        boolean chains =
            prev.length() == 64
                && Arrays.equals(prev.getBytes(StandardCharsets.ISO_8859_1), previousHex);
        String type = valid ? line.json().path("type").asText("") : "";
        lines.add(new LineFacts(line.seq(), valid, chains, type, reopens(line.event())));
        if (n == 1) {
          first = line;
        }
        if (isStatus(type)) {
          lastStatusFrom = start;
          lastStatusTo = i;
        }
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
      if (hashes.length < n * 32) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
      System.arraycopy(hash, 0, hashes, (n - 1) * 32, 32);
      toHex(hash, lineHex);
      byte[] swap = previousHex;
      previousHex = lineHex;
      lineHex = swap;
      start = i + 1;
    }
    partial = start < content.length;
    if (lastStatusFrom >= 0) {
      lastStatus =
          AuditTrail.parseLine(0, Arrays.copyOfRange(content, lastStatusFrom, lastStatusTo));
    }
  }

  private int lastStatusFrom = -1;
  private int lastStatusTo = -1;

  private static boolean isStatus(String type) {
    return type.equals("run.finished") || type.equals("run.paused") || type.equals("run.resumed");
  }

  /** The run as a list shows it, from line 1 and the last status line (as RunSummary.of). */
  private RunSummary summary(boolean running) {
    if (first == null || !(first.event() instanceof AuditEvent.RunStarted s)) {
      return null;
    }
    String status = running ? "running" : "stopped";
    String message = null;
    Instant ended = null;
    if (lastStatus != null && lastStatus.event() instanceof AuditEvent.RunFinished f) {
      status = f.outcome().label();
      message = f.message();
      ended = lastStatus.time().orElse(null);
    } else if (lastStatus != null && lastStatus.event() instanceof AuditEvent.Paused p) {
      status = "paused";
      message = p.reason() + " at " + p.step();
      ended = lastStatus.time().orElse(null);
    }
    return new RunSummary(
        run.runId(),
        s.runbook(),
        s.title(),
        s.alarms(),
        s.operator(),
        s.machine(),
        s.params(),
        first.time().orElse(null),
        ended,
        status,
        message);
  }

  /** The hex SHA-256 of line {@code n} (1-based). */
  private String hashOf(long n) {
    return HexFormat.of().formatHex(hashes, (int) (n - 1) * 32, (int) n * 32);
  }

  private void checkChain() {
    Set<Long> seqs = null;
    for (int index = 0; index < lines.size(); index++) {
      LineFacts line = lines.get(index);
      int n = index + 1;
      if (!line.valid()) {
        altered.add("line " + n + " is not a valid event: it was edited");
      } else if (line.seq() != n) {
        if (seqs == null) {
          seqs = new HashSet<>();
          for (LineFacts l : lines) {
            seqs.add(l.seq());
          }
        }
        if (line.seq() > n && !seqs.contains((long) n)) {
          altered.add(
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
          altered.add(
              "line "
                  + n
                  + " has seq "
                  + line.seq()
                  + " where "
                  + n
                  + " was expected: lines were reordered");
        }
      } else if (!line.chains()) {
        altered.add(
            n == 1
                ? "line 1 does not start the chain: it was edited"
                : "line " + (n - 1) + " was edited (line " + n + " does not chain to it)");
      }
    }
  }

  /** The trail must be this run's: its first line starts this very run. */
  private void checkIdentity(TrailHead head) {
    if (first != null && first.event() != null) {
      if (!(first.event() instanceof AuditEvent.RunStarted started)) {
        altered.add("line 1 is not run.started: the start of the trail was removed");
      } else if (!run.runId().equals(started.runId())) {
        altered.add(
            "this trail is run "
                + started.runId()
                + "'s, in the directory of run "
                + run.runId()
                + ": run directories were renamed or swapped");
      }
    }
    if (head != null && head.run() != null && !head.run().equals(run.runId())) {
      altered.add(
          "events.head is run "
              + head.run()
              + "'s, in the directory of run "
              + run.runId()
              + ": it was moved here");
    }
  }

  /** Whether a status line may be followed by a retry (see {@link LineFacts#reopens}). */
  private static boolean reopens(String type, int n, byte[] content, int from, int to) {
    if (!type.equals("run.finished") && !type.equals("run.resumed")) {
      return false; // the fast path stays fast: only these rare lines are read whole
    }
    return reopens(AuditTrail.parseLine(n, Arrays.copyOfRange(content, from, to)).event());
  }

  private static boolean reopens(AuditEvent event) {
    return (event instanceof AuditEvent.RunFinished f && f.outcome() == Outcome.FAILED)
        || (event instanceof AuditEvent.Resumed r && r.retry() != null);
  }

  /**
   * {@code run.finished} closes the trail: nothing may follow it, except a {@code run.resumed} that
   * retries the failed step of a run that ended failed.
   */
  private void checkSeal() {
    for (int i = 0; i < lines.size(); i++) {
      boolean retried =
          i + 1 < lines.size()
              && lines.get(i).reopens()
              && lines.get(i + 1).type().equals("run.resumed")
              && lines.get(i + 1).reopens();
      if (lines.get(i).type().equals("run.finished") && i + 1 < lines.size() && !retried) {
        altered.add(
            "line "
                + (i + 2)
                + " follows run.finished (line "
                + (i + 1)
                + "), which closes the trail: it was appended");
        return;
      }
      if (lines.get(i).type().equals("run.finished") && partial) {
        altered.add("bytes follow run.finished (line " + (i + 1) + "), which closes the trail");
        return;
      }
    }
  }

  private void checkHead(TrailHead head, boolean missing, byte[] bytes, boolean running) {
    int count = lines.size();
    if (missing) {
      if (count == 0 && !partial) {
        if (altered.isEmpty()) {
          altered.add(
              "no trail: events.jsonl and events.head are missing or empty (deleted, or the run"
                  + " was stopped before it wrote its first line)");
        }
      } else {
        altered.add("events.head is missing: cannot tell whether lines were cut off the end");
      }
      tornLine(running, count);
      return;
    }
    if (head == null) {
      altered.add("events.head is not readable: it was edited");
      return;
    }
    if (head.seq() < 1 || head.hash().length() != 64) {
      altered.add(
          "events.head records no line ("
              + new String(bytes, StandardCharsets.UTF_8).strip()
              + "): it was edited");
      return;
    }
    if (head.seq() > count) {
      // A line written but not yet synced can be torn by a power loss; a synced one cannot.
      if (head.seq() == count + 1
          && partial
          && !running
          && head.current()
          && head.synced() <= count) {
        torn.add(tornMessage(count + 1));
        return;
      }
      String synced =
          head.synced() >= 1 && head.synced() <= count
              ? " (line "
                  + head.synced()
                  + " was the last one synced to disk; a power loss while the run went on loses"
                  + " the lines after it the same way)"
              : "";
      altered.add(
          "the trail ends at line "
              + count
              + " but its head records line "
              + head.seq()
              + ": the end was cut off"
              + synced);
      return;
    }
    if (!head.hash().equals(hashOf(head.seq()))) {
      altered.add("line " + head.seq() + " was edited (it does not match the hash in events.head)");
      return;
    }
    if (head.seq() < count && head.current() && !running) {
      torn.add(
          range(head.seq() + 1, count)
              + " after the head, which records line "
              + head.seq()
              + ": the run was killed between writing a line and its head, or they were"
              + " appended");
    }
    tornLine(running, count);
  }

  private void tornLine(boolean running, int count) {
    if (partial && !running) {
      torn.add(tornMessage(count + 1));
    }
  }

  private static String tornMessage(int line) {
    return "line "
        + line
        + " is cut off (the writer stopped mid-line: a crash or power loss while it was"
        + " written; what it said is lost)";
  }

  private static String range(long from, long to) {
    return from == to ? "line " + from + " comes" : "lines " + from + "–" + to + " come";
  }

  private AuditVerifier.SignatureState checkSignature(
      TrailHead head, AuditVerifier.Options options, boolean running, Ledger.Entry ledger) {
    String key = head == null ? null : head.key();
    long signedSeq = head == null || !head.signed() ? -1 : head.signedSeq();
    if (options.keys() == null) {
      return new AuditVerifier.SignatureState(
          head != null && head.signed() ? "not checked" : "not signed", key, signedSeq);
    }
    int count = lines.size();
    if (ledger != null
        && ledger.lines() == count
        && count >= 1
        && ledger.hash().equals(hashOf(count))) {
      // The ledger's signed line records this trail's last line: the chain leads to it, so the
      // whole trail is what the key's holder wrote, without checking the head's own signature.
      return new AuditVerifier.SignatureState("valid", ledger.key(), count);
    }
    if (head == null || !head.signed()) {
      unsigned.add("events.head carries no signature (the run was made without a signing key)");
      return new AuditVerifier.SignatureState("not signed", key, -1);
    }
    TrustedKeys.Check check =
        options
            .keys()
            .check(
                head.key(),
                TrailHead.statement(run.runId(), head.signedSeq(), head.signedHash()),
                head.sig());
    if (check == TrustedKeys.Check.UNTRUSTED_KEY) {
      altered.add("its head is signed by " + head.key() + ", which is not a trusted key");
      return new AuditVerifier.SignatureState("untrusted key", key, signedSeq);
    }
    if (check == TrustedKeys.Check.BAD_SIGNATURE) {
      altered.add(
          "the signature in events.head does not verify: the head was rewritten (without the key)");
      return new AuditVerifier.SignatureState("invalid", key, signedSeq);
    }
    if (signedSeq > count) {
      altered.add(
          "the trail ends at line "
              + count
              + " but its signed head records line "
              + signedSeq
              + ": the end was cut off");
    } else if (!head.signedHash().equals(hashOf(signedSeq))) {
      altered.add(
          "line "
              + signedSeq
              + " is not the line that was signed: the trail was rewritten and its chain"
              + " recomputed");
    } else if (signedSeq < count && !running) {
      String lastType = lines.get(count - 1).type();
      boolean ends = lastType.equals("run.finished") || lastType.equals("run.paused");
      if (ends && count - signedSeq > 1) {
        altered.add(
            range(signedSeq + 1, count)
                + " after the last signed line ("
                + signedSeq
                + ") and end the run: they were appended");
      } else {
        torn.add(
            range(signedSeq + 1, count)
                + " after the last signed line ("
                + signedSeq
                + "): the run stopped before signing them, or they were appended; a resume"
                + " drops them");
      }
    }
    return new AuditVerifier.SignatureState("valid", key, signedSeq);
  }

  /** The ledger's last word on this run must be a line of this trail, with that hash. */
  private void checkLedger(Context context) {
    List<Ledger.Entry> entries = context.ledgerEntries();
    if (entries.isEmpty()) {
      if (context.ledgerShouldHaveIt() && !lines.isEmpty()) {
        altered.add(
            "the ledger of runs has no line for this run: its directory was not made by a run"
                + " here (copied in, or renamed)");
      }
      return;
    }
    // The latest word first: it says the most about how far the trail must go.
    for (int i = entries.size() - 1; i >= 0; i--) {
      Ledger.Entry entry = entries.get(i);
      if (entry.lines() > lines.size()) {
        altered.add(
            "the ledger records line "
                + entry.lines()
                + " of this run (ledger line "
                + entry.number()
                + ", "
                + entry.event()
                + ") but the trail ends at line "
                + lines.size()
                + ": the end was cut off");
        return;
      }
      if (entry.lines() >= 1 && !entry.hash().equals(hashOf(entry.lines()))) {
        altered.add(
            "line "
                + entry.lines()
                + " is not the line the ledger records (ledger line "
                + entry.number()
                + ", "
                + entry.event()
                + "): the trail was rewritten");
        return;
      }
    }
  }

  private void checkOutputs() throws IOException {
    for (RecordedOutput recorded : outputs) {
      AuditEvent.OutputRecord output = recorded.output();
      Path file = run.path().resolve(output.file()).normalize();
      if (!file.startsWith(run.path())) {
        altered.add("line " + recorded.line() + " points outside the run directory: it was edited");
        continue;
      }
      try {
        if (!sha256(file).equals(output.sha256())) {
          altered.add(
              output.file()
                  + " (output of line "
                  + recorded.line()
                  + ") was altered: its hash differs");
        }
      } catch (NoSuchFileException e) {
        altered.add(output.file() + " (output of line " + recorded.line() + ") is missing");
      } catch (TrailFiles.NotRegularFile e) {
        altered.add(output.file() + " (output of line " + recorded.line() + "): " + e.getMessage());
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
    try (InputStream in = Channels.newInputStream(TrailFiles.open(file))) {
      byte[] buffer = new byte[64 * 1024];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
