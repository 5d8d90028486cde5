package dev.runbook.engine.execute;

import dev.runbook.api.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step result as the trail keeps it: output fields cut to a size a trail line can carry (the
 * whole output is in the step's output file). Conditions on a resumed run read these values.
 */
final class TrailValues {

  static final int MAX_CHARS = 16 * 1024;

  private TrailValues() {}

  /**
   * The values with every text (and every text inside lists and maps) masked; numbers and booleans
   * kept ({@code exitCode}, {@code durationMs}). For a step whose output is secret: a resumed run
   * that reads such a step's result later sees the masks.
   */
  static Map<String, Object> masked(Map<String, Object> data) {
    Map<String, Object> copy = new LinkedHashMap<>();
    data.forEach((key, value) -> copy.put(key, maskedValue(value)));
    return copy;
  }

  private static Object maskedValue(Object value) {
    if (value instanceof String) {
      return Secret.MASK;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), maskedValue(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(TrailValues::maskedValue).toList();
    }
    return value;
  }

  static Map<String, Object> compact(Map<String, Object> data) {
    Map<String, Object> copy = new LinkedHashMap<>();
    data.forEach((key, value) -> copy.put(key, JsonValues.excerpt(value, MAX_CHARS)));
    return copy;
  }
}
