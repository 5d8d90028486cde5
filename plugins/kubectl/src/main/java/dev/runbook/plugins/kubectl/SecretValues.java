package dev.runbook.plugins.kubectl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds what a kubectl read printed of Kubernetes Secrets, so the engine masks it before any of it
 * is recorded or shown.
 *
 * <p>A command {@linkplain #mayPrint may print secret values} when it is a {@code get} of secrets
 * (or of anything read from files, {@code -f}) in any output but {@code -o name}; its stdout is
 * held back until {@link #in} has named the values to mask. With JSON output those are exactly the
 * Secrets' {@code data} and {@code stringData} values: as kubectl printed them (base64), decoded,
 * and each line of a decoded multi-line value (a PEM key is masked line by line, as output lines
 * are). With any other output (yaml, jsonpath, go-template) the structure is unknown, so every word
 * that looks base64-encoded counts, which may mask a little more than the secret.
 *
 * <p>Certificates are public by design: a value that decodes to PEM certificates and nothing else
 * ({@code tls.crt}, {@code ca.crt}) stays readable, so the trail can show which CA a run found.
 */
final class SecretValues {

  private static final Pattern BASE64_WORD = Pattern.compile("[A-Za-z0-9+/]{4,}={0,2}");
  private static final Pattern CERTIFICATES_ONLY =
      Pattern.compile(
          "\\s*(-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----\\s*)+");

  private SecretValues() {}

  /** Whether the command's stdout may hold secret values. */
  static boolean mayPrint(KubectlCommand command) {
    if (!command.verb().equals("get") || command.output().equals("name")) {
      return false;
    }
    for (String arg : command.argv()) {
      if (arg.equals("-f") || arg.startsWith("--filename") || arg.startsWith("-f=")) {
        return true;
      }
      for (String resource : arg.toLowerCase(Locale.ROOT).split(",")) {
        String kind =
            resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
        if (kind.equals("secret") || kind.equals("secrets") || kind.startsWith("secrets.")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The values to mask in what a secret-reading command printed. */
  static Set<String> in(Object json, String stdout) {
    Set<String> values = new LinkedHashSet<>();
    if (json != null) {
      secrets(json, values);
    } else {
      String[] words = stdout.strip().split("[\\s\"':,{}\\[\\]]+");
      for (String word : words) {
        // One bare word is what jsonpath prints for one value; among many, a word of field names
        // ("metadata") must not count, so only what looks encoded does.
        if (words.length == 1 ? isBase64(word) : looksEncoded(word)) {
          String decoded = decode(word);
          if (decoded == null || !isCertificates(decoded)) {
            values.add(word);
            if (decoded != null) {
              addDecoded(decoded, values);
            }
          }
        }
      }
    }
    return values;
  }

  private static boolean isBase64(String word) {
    return word.length() % 4 == 0 && BASE64_WORD.matcher(word).matches();
  }

  /** Base64 of 6 bytes or more, with a digit, a sign or both cases, as encoded text has. */
  private static boolean looksEncoded(String word) {
    if (word.length() < 8 || !isBase64(word)) {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    for (char c : word.toCharArray()) {
      if (Character.isDigit(c) || c == '+' || c == '/' || c == '=') {
        return true;
      }
      upper |= Character.isUpperCase(c);
      lower |= Character.isLowerCase(c);
    }
    return upper && lower;
  }

  private static void secrets(Object json, Set<String> values) {
    if (json instanceof List<?> list) {
      list.forEach(item -> secrets(item, values));
      return;
    }
    if (!(json instanceof Map<?, ?> object)) {
      return;
    }
    if (object.get("items") instanceof List<?> items) {
      items.forEach(item -> secrets(item, values));
    }
    if (!"Secret".equals(object.get("kind"))) {
      return;
    }
    if (object.get("data") instanceof Map<?, ?> data) {
      for (Object value : data.values()) {
        String encoded = String.valueOf(value);
        String decoded = decode(encoded);
        if (decoded != null && isCertificates(decoded)) {
          continue;
        }
        values.add(encoded);
        if (decoded != null) {
          addDecoded(decoded, values);
        }
      }
    }
    if (object.get("stringData") instanceof Map<?, ?> data) {
      for (Object value : data.values()) {
        String text = String.valueOf(value);
        if (!isCertificates(text)) {
          addDecoded(text, values);
        }
      }
    }
  }

  /** The decoded value, and each of its lines but PEM armour, which is the same in every key. */
  private static void addDecoded(String decoded, Set<String> values) {
    values.add(decoded);
    List<String> lines = new ArrayList<>(decoded.lines().map(String::strip).toList());
    if (lines.size() > 1) {
      for (String line : lines) {
        if (!line.isEmpty() && !line.startsWith("-----")) {
          values.add(line);
        }
      }
    }
  }

  static boolean isCertificates(String text) {
    return CERTIFICATES_ONLY.matcher(text).matches();
  }

  /** The UTF-8 text of a base64 value, or null when it is not base64 or not text. */
  static String decode(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
  }
}
