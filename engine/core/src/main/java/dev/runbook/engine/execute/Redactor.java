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
 * <p>Declared secrets are masked wherever they occur inside a text, whatever their length. A
 * learned value shorter than {@value #SHORTEST_MASKED_INSIDE} characters is masked only where a
 * whole line or a whole value equals it: a Secret's {@code replicas: "1"} or {@code debug: on}
 * masked inside every line would leave the trail unreadable.
 */
public final class Redactor {

  static final int SHORTEST_MASKED_INSIDE = 4;

  /** Longest first, so a secret that contains another is masked whole. */
  private volatile List<String> inside;

  private volatile Set<String> whole;

  public Redactor(Collection<String> secretValues) {
    List<String> values = new ArrayList<>();
    for (String value : secretValues) {
      if (value != null && !value.isBlank() && !values.contains(value)) {
        values.add(value);
      }
    }
    values.sort(Comparator.comparingInt(String::length).reversed());
    this.inside = List.copyOf(values);
    this.whole = Set.of();
  }

  private static void sort(String value, List<String> longer, Set<String> shorter) {
    if (value == null || value.isBlank()) {
      return;
    }
    if (value.length() >= SHORTEST_MASKED_INSIDE) {
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
    sort(value, longer, shorter);
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
      result = result.replace(secret, Secret.MASK);
    }
    return result;
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
}
