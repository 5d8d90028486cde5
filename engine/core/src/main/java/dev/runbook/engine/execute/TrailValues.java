package dev.runbook.engine.execute;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step result as the trail keeps it: output fields cut to a size a trail line can carry (the
 * whole output is in the step's output file). Conditions on a resumed run read these values.
 */
final class TrailValues {

  static final int MAX_CHARS = 16 * 1024;

  private TrailValues() {}

  static Map<String, Object> compact(Map<String, Object> data) {
    Map<String, Object> copy = new LinkedHashMap<>();
    data.forEach((key, value) -> copy.put(key, JsonValues.excerpt(value, MAX_CHARS)));
    return copy;
  }
}
