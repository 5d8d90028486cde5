package dev.runbook.engine.audit;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The start of a trail line as {@link AuditLog} writes it, read from the raw bytes without building
 * a JSON tree: {@code {"seq":N,"time":"…","prev":"<64 hex>","type":"<known type>",…}}. {@code audit
 * verify} reads a million lines; parsing each into a tree and an event cost 7× the hashing.
 *
 * <p>A line that does not start exactly so (edited by hand, or written by some other tool) is not
 * rejected here: {@link #read} returns null and the verifier parses that line in full, so it is
 * judged exactly as before.
 *
 * @param seq the line's {@code seq}
 * @param prevOffset where the 64 hex digits of {@code prev} start in the buffer
 * @param type the event type
 */
record LineHeader(long seq, int prevOffset, String type) {

  private static final byte[] SEQ = ascii("{\"seq\":");
  private static final byte[] TIME = ascii(",\"time\":\"");
  private static final byte[] PREV = ascii(",\"prev\":\"");
  private static final byte[] TYPE = ascii(",\"type\":\"");
  private static final byte[] OUTPUT = ascii("\"output\":");
  private static final int HASH_HEX = 64;

  /** The event types {@link AuditEvent} knows (its {@code @JsonSubTypes} names). */
  static final Set<String> TYPES =
      Set.of(
          "run.started",
          "step.started",
          "command",
          "wait",
          "decision",
          "answer",
          "step.finished",
          "run.paused",
          "run.resumed",
          "run.finished");

  /** The header of {@code line[from, to)}, or null when the line does not start canonically. */
  static LineHeader read(byte[] line, int from, int to) {
    if (to - from < 2 || line[to - 1] != '}') {
      return null;
    }
    int i = expect(line, from, to, SEQ);
    if (i < 0 || i >= to || line[i] < '1' || line[i] > '9') {
      return null;
    }
    long seq = 0;
    int digits = 0;
    while (i < to && line[i] >= '0' && line[i] <= '9') {
      if (++digits > 18) {
        return null;
      }
      seq = seq * 10 + (line[i++] - '0');
    }
    i = expect(line, i, to, TIME);
    if (i < 0) {
      return null;
    }
    while (i < to && line[i] != '"') {
      if (line[i] == '\\') {
        return null;
      }
      i++;
    }
    i = expect(line, i + 1, to, PREV);
    if (i < 0 || i + HASH_HEX + 1 > to || line[i + HASH_HEX] != '"') {
      return null;
    }
    int prevOffset = i;
    for (int h = i; h < i + HASH_HEX; h++) {
      byte b = line[h];
      if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
        return null;
      }
    }
    i = expect(line, i + HASH_HEX + 1, to, TYPE);
    if (i < 0) {
      return null;
    }
    int typeStart = i;
    while (i < to && line[i] != '"' && line[i] != '\\') {
      i++;
    }
    if (i >= to || line[i] != '"') {
      return null;
    }
    String type = new String(line, typeStart, i - typeStart, StandardCharsets.US_ASCII);
    return TYPES.contains(type) ? new LineHeader(seq, prevOffset, type) : null;
  }

  /**
   * Whether the line may record an output file, so the verifier must read the event to check the
   * file. The key as written is {@code "output":}; inside a string value it would be escaped
   * ({@code \"output\":}), which only makes this answer yes more often than needed, never no
   * wrongly.
   */
  static boolean mayRecordOutput(LineHeader header, byte[] line, int from, int to) {
    return header.type().equals("step.finished") && indexOf(line, from, to, OUTPUT) >= 0;
  }

  private static int expect(byte[] line, int at, int to, byte[] literal) {
    if (at < 0 || at + literal.length > to) {
      return -1;
    }
    for (int k = 0; k < literal.length; k++) {
      if (line[at + k] != literal[k]) {
        return -1;
      }
    }
    return at + literal.length;
  }

  private static int indexOf(byte[] line, int from, int to, byte[] literal) {
    outer:
    for (int i = from; i + literal.length <= to; i++) {
      for (int k = 0; k < literal.length; k++) {
        if (line[i + k] != literal[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
