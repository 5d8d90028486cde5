package dev.runbook.plugins.kubectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.api.CommandResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values conditions read as {@code result} after a kubectl step:
 *
 * <ul>
 *   <li>{@code stdout}, {@code stderr} (each without its trailing newline; the action adds {@code
 *       exitCode} with {@code StepResult.withExitCode}), {@code truncated}, {@code durationMs}: as
 *       for every command;
 *   <li>{@code json}: stdout parsed, when the output is {@code json} or {@code jsonpath-as-json=…}
 *       and stdout is JSON ({@code result.json.status.phase == "Running"});
 *   <li>{@code count}: how many objects: the length of {@code json.items} for a list, 1 for one
 *       object, the number of lines for {@code -o name};
 *   <li>{@code names}: their {@code metadata.name}s, or the lines of {@code -o name} ({@code
 *       pod/web});
 *   <li>{@code data}: for one Secret, its {@code data} with every value base64-decoded to text
 *       (values that are not UTF-8 stay base64), so {@code cert.inspect} and conditions can read a
 *       PEM from it.
 * </ul>
 */
final class KubectlResult {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KubectlResult() {}

  /** stdout parsed as JSON when the output format is JSON, else null. */
  static Object json(String output, String stdout) {
    if (!(output.equals("json") || output.startsWith("jsonpath-as-json")) || stdout.isBlank()) {
      return null;
    }
    try {
      return JSON.readValue(stdout, Object.class);
    } catch (JsonProcessingException e) {
      return null; // kubectl printed something else (a warning, a partial list): keep stdout only
    }
  }

  static Map<String, Object> data(CommandResult result, String output, Object json) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("stdout", result.stdoutText());
    data.put("stderr", result.stderrText());
    data.put("truncated", result.truncated());
    data.put("durationMs", result.duration().toMillis());
    if (json != null) {
      data.put("json", json);
      List<Object> objects = objects(json);
      data.put("count", (long) objects.size());
      data.put("names", names(objects));
      if (json instanceof Map<?, ?> object && "Secret".equals(object.get("kind"))) {
        data.put("data", decoded(object.get("data")));
      }
    } else if (output.equals("name")) {
      List<String> lines = result.stdout().lines().filter(l -> !l.isBlank()).toList();
      data.put("count", (long) lines.size());
      data.put("names", lines);
    }
    return data;
  }

  private static List<Object> objects(Object json) {
    if (json instanceof Map<?, ?> object && object.get("items") instanceof List<?> items) {
      return new ArrayList<>(items);
    }
    if (json instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    return List.of(json);
  }

  private static List<String> names(List<Object> objects) {
    List<String> names = new ArrayList<>();
    for (Object object : objects) {
      if (object instanceof Map<?, ?> map
          && map.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("name") instanceof String name) {
        names.add(name);
      }
    }
    return names;
  }

  private static Map<String, Object> decoded(Object data) {
    Map<String, Object> decoded = new LinkedHashMap<>();
    if (data instanceof Map<?, ?> map) {
      map.forEach((key, value) -> decoded.put(String.valueOf(key), decode(String.valueOf(value))));
    }
    return decoded;
  }

  private static String decode(String base64) {
    String text = SecretValues.decode(base64);
    return text == null ? base64 : text;
  }
}
