package dev.runbook.engine.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code events.head} holds: the count and hash of the trail's last line, rewritten after
 * every line (so a killed run's head covers all it wrote), the last line synced to disk, and, when
 * the engine has a {@link SigningKey}, the last line it signed with the key's fingerprint and the
 * signature.
 *
 * <p>On disk: {@code {"seq":N,"hash":"…","run":"ID","synced":S,"signedSeq":K,"signedHash":"…",
 * "key":"SHA256:…","sig":"…"}}, one line. Heads written before signing existed hold only {@code
 * seq} and {@code hash} (and were written only when a line was synced); they still read.
 *
 * @param run the run id, or null in an old head
 * @param synced the last line synced to disk, or -1 in an old head
 * @param signedSeq the last line signed, or -1 when unsigned
 */
public record TrailHead(
    long seq,
    String hash,
    String run,
    long synced,
    long signedSeq,
    String signedHash,
    String key,
    String sig) {

  /** Whether the head carries a signature. */
  public boolean signed() {
    return sig != null && key != null && signedSeq >= 1 && signedHash != null;
  }

  /** Whether it is a head as this engine writes them (run id and a head after every line). */
  public boolean current() {
    return run != null;
  }

  /** The bytes the signature is over: they name the run, so a head cannot move to another run. */
  public static byte[] statement(String run, long seq, String hash) {
    return ("runbook trail head v1\nrun " + run + "\nseq " + seq + "\nhash " + hash + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  byte[] format() {
    StringBuilder text =
        new StringBuilder(300)
            .append("{\"seq\":")
            .append(seq)
            .append(",\"hash\":\"")
            .append(hash)
            .append("\",\"run\":\"")
            .append(run)
            .append("\",\"synced\":")
            .append(synced);
    if (signed()) {
      text.append(",\"signedSeq\":")
          .append(signedSeq)
          .append(",\"signedHash\":\"")
          .append(signedHash)
          .append("\",\"key\":\"")
          .append(key)
          .append("\",\"sig\":\"")
          .append(sig)
          .append('"');
    }
    return text.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The head in {@code bytes}, or null when they are not a JSON object. */
  static TrailHead parse(byte[] bytes) {
    JsonNode head;
    try {
      head = AuditLog.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
    if (head == null || !head.isObject()) {
      return null;
    }
    return new TrailHead(
        head.path("seq").asLong(-1),
        head.path("hash").asText(""),
        text(head, "run"),
        head.path("synced").asLong(-1),
        head.path("signedSeq").asLong(-1),
        text(head, "signedHash"),
        text(head, "key"),
        text(head, "sig"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
