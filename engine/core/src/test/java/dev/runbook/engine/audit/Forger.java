package dev.runbook.engine.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What someone who can write the state directory but has no signing key can do to a trail: edit
 * lines, then recompute every {@code prev} and the head's count and hash, so that the unkeyed chain
 * holds again. The head's signature fields are kept as they were: they cannot be made anew.
 */
final class Forger {

  private static final Pattern PREV = Pattern.compile("\"prev\":\"[0-9a-f]{64}\"");
  private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":\\d+");

  private Forger() {}

  static List<String> lines(RunDirectory run) throws IOException {
    return new ArrayList<>(Files.readAllLines(run.events(), StandardCharsets.UTF_8));
  }

  /** Writes {@code lines} with seq and prev recomputed, and a head that matches them. */
  static void rewriteAndRechain(RunDirectory run, List<String> lines) throws IOException {
    String previous = AuditLog.GENESIS;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = SEQ.matcher(lines.get(i)).replaceFirst("{\"seq\":" + (i + 1));
      line =
          PREV.matcher(line)
              .replaceFirst(Matcher.quoteReplacement("\"prev\":\"" + previous + "\""));
      previous = Hashes.sha256(line.getBytes(StandardCharsets.UTF_8));
      out.append(line).append('\n');
    }
    Files.writeString(run.events(), out.toString());
    recomputeHead(run, lines.size(), previous);
  }

  /** The head's seq and hash set to these, every other field as it was. */
  static void recomputeHead(RunDirectory run, long seq, String hash) throws IOException {
    String head = Files.readString(run.head());
    head = head.replaceFirst("\"seq\":\\d+", "\"seq\":" + seq);
    head = head.replaceFirst("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + hash + "\"");
    Files.writeString(run.head(), head);
  }

  static void editAndRechain(RunDirectory run, int lineIndex, UnaryOperator<String> edit)
      throws IOException {
    List<String> lines = lines(run);
    lines.set(lineIndex, edit.apply(lines.get(lineIndex)));
    rewriteAndRechain(run, lines);
  }
}
