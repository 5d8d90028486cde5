package dev.runbook.engine.execute;

import dev.runbook.api.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces every secret value with {@code ****} wherever it appears: in output lines, results,
 * messages. The second line of defence after masking by type: it catches a secret a command echoes
 * back. Immutable and thread-safe.
 */
public final class Redactor {

  private final List<String> secrets;

  public Redactor(Collection<String> secretValues) {
    List<String> values = new ArrayList<>();
    for (String value : secretValues) {
      if (value != null && !value.isEmpty()) {
        values.add(value);
      }
    }
    // Longest first, so a secret that contains another is masked whole.
    values.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(values);
  }

  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : secrets) {
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
