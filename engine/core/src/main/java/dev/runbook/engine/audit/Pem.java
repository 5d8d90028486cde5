package dev.runbook.engine.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks ({@code -----BEGIN LABEL-----}, base64, {@code -----END LABEL-----}), JDK only. */
final class Pem {

  /** One block: its label ({@code PUBLIC KEY}) and DER bytes. */
  record Block(String label, byte[] der, int line) {}

  private Pem() {}

  static String encode(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * Every block in {@code text}; lines outside blocks (comments, blank lines) are skipped.
   *
   * @throws IllegalArgumentException naming the line of a block that is not closed or not base64
   */
  static List<Block> decode(String text) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    String label = null;
    int startLine = 0;
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (label == null) {
        if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
          label = line.substring(11, line.length() - 5);
          startLine = i + 1;
          body.setLength(0);
        }
      } else if (line.equals("-----END " + label + "-----")) {
        try {
          blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.toString()), startLine));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "line " + startLine + ": the " + label + " block is not base64");
        }
        label = null;
      } else {
        body.append(line);
      }
    }
    if (label != null) {
      throw new IllegalArgumentException(
          "line " + startLine + ": the " + label + " block has no END line");
    }
    return blocks;
  }
}
