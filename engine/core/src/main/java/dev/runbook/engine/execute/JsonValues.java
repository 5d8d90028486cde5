package dev.runbook.engine.execute;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts JSON-like values into the shapes CEL expects: whole numbers as Long, fractions as Double.
 * Results read back from the trail come from Jackson as Integer; live ones may too.
 */
final class JsonValues {

  private JsonValues() {}

  static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.longValue();
    }
    if (value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(normalize(v)));
      return copy;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> normalizeMap(Map<String, ?> map) {
    return map == null ? Map.of() : (Map<String, Object>) normalize(map);
  }

  /** A copy with long strings cut, for recording the values a condition read. */
  static Object excerpt(Object value, int maxChars) {
    if (value instanceof String text && text.length() > maxChars) {
      return text.substring(0, maxChars) + "…";
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), excerpt(v, maxChars)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(excerpt(v, maxChars)));
      return copy;
    }
    return value;
  }
}
