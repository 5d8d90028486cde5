package dev.runbook.engine.execute;

import dev.runbook.api.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every secret value with {@code ****} wherever it appears: in output lines, results,
 * messages. The second line of defence after masking by type: it catches a secret a command echoes
 * back. Thread-safe; it starts with the run's secret parameters and learns the secrets actions come
 * across ({@link dev.runbook.api.ActionContext#maskSecret}).
 *
 * <p>Values are compared as plain text, never as patterns. A value of {@value #ANYWHERE} or more
 * characters is masked wherever it occurs; a shorter one only as a whole token (not next to a
 * letter or digit), so that a 6-character password does not turn {@code 1234567} into {@code
 * ****7}, which would both corrupt the record and hint at the value. A multi-line value (a PEM key)
 * is also masked line by line, since output reaches the redactor one line at a time. A learned
 * value shorter than {@value #SHORTEST_MASKED_INSIDE} characters is masked only where a whole line
 * or a whole value equals it: a Secret's {@code replicas: "1"} masked inside every line would leave
 * the trail unreadable.
 *
 * <p>What value-based redaction cannot catch: a secret the command transforms before printing it
 * (base64, hex, split across lines, reversed, a hash of it). Declared secrets are never put in
 * anything the engine itself shows or records; this class only guards what commands print.
 */
public final class Redactor {

  static final int SHORTEST_MASKED_INSIDE = 4;

  /** Values at least this long are masked even inside a longer token. */
  static final int ANYWHERE = 12;

  /** Longest first, so a secret that contains another is masked whole. */
  private volatile List<String> inside;

  private volatile Set<String> whole;

  public Redactor(Collection<String> secretValues) {
    List<String> values = new ArrayList<>();
    Set<String> unused = new HashSet<>();
    for (String value : secretValues) {
      for (String part : parts(value)) {
        sort(part, values, unused, false);
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    this.inside = List.copyOf(values);
    this.whole = Set.of();
  }

  /** The value, and each line of it when it has several. */
  private static List<String> parts(String value) {
    List<String> parts = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return parts;
    }
    parts.add(value);
    if (value.indexOf('\n') >= 0) {
      for (String line : value.split("\r?\n")) {
        if (line.strip().length() >= SHORTEST_MASKED_INSIDE) {
          parts.add(line.strip());
        }
      }
    }
    return parts;
  }

  private static void sort(
      String value, List<String> longer, Set<String> shorter, boolean learned) {
    if (value == null || value.isBlank()) {
      return;
    }
    if (!learned || value.length() >= SHORTEST_MASKED_INSIDE) {
      if (!longer.contains(value)) {
        longer.add(value);
      }
    } else {
      shorter.add(value);
    }
  }

  /** Masks {@code value} from now on, in everything redacted after this call returns. */
  public synchronized void learn(String value) {
    List<String> longer = new ArrayList<>(inside);
    Set<String> shorter = new HashSet<>(whole);
    for (String part : parts(value)) {
      sort(part, longer, shorter, true);
    }
    longer.sort(Comparator.comparingInt(String::length).reversed());
    inside = List.copyOf(longer);
    whole = Set.copyOf(shorter);
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    Set<String> exact = whole;
    if (!exact.isEmpty() && exact.contains(text.strip())) {
      return Secret.MASK;
    }
    String result = text;
    for (String secret : inside) {
      result = mask(result, secret);
    }
    return result;
  }

  /** The text with each occurrence of {@code secret} (as a token, when it is short) masked. */
  static String mask(String text, String secret) {
    int at = text.indexOf(secret);
    if (at < 0) {
      return text;
    }
    boolean anywhere = secret.length() >= ANYWHERE;
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    while (at >= 0) {
      int end = at + secret.length();
      boolean token =
          anywhere
              || ((at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1)))
                  && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))));
      if (token) {
        out.append(text, from, at).append(Secret.MASK);
        from = end;
        at = text.indexOf(secret, end);
      } else {
        at = text.indexOf(secret, at + 1);
      }
    }
    return out.append(text, from, text.length()).toString();
  }

  /** A JSON-like value with every string redacted. */
  public Object redactValue(Object value) {
    if (value instanceof String text) {
      return redact(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(redact(String.valueOf(k)), redactValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(redactValue(v)));
      return copy;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> redactMap(Map<String, Object> map) {
    return (Map<String, Object>) redactValue(map);
  }

  /** A map of strings with every value redacted. */
  public Map<String, String> redactStrings(Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, redact(v)));
    return copy;
  }
}
