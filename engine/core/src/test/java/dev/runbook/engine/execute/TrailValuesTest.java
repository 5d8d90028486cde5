package dev.runbook.engine.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the trail keeps of a step's result: texts masked for secret output, all of it cut short. */
class TrailValuesTest {

  private static Map<String, Object> result() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("stdout", "key 0123456789abcdef");
    data.put("exitCode", 0);
    data.put("ok", true);
    data.put("lines", List.of("a", 1, List.of("b")));
    data.put("json", Map.of("token", "t0k", "n", 2L));
    data.put("none", null);
    return data;
  }

  @Test
  void aSecretOutputKeepsOnlyNumbersBooleansAndShape() {
    Map<String, Object> masked = TrailValues.masked(result());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("stdout", "****");
    expected.put("exitCode", 0);
    expected.put("ok", true);
    expected.put("lines", List.of("****", 1, List.of("****")));
    expected.put("json", Map.of("token", "****", "n", 2L));
    expected.put("none", null);
    assertThat(masked).containsExactlyEntriesOf(expected);
  }

  @Test
  void longTextsAreCutToWhatATrailLineCarries() {
    String big = "x".repeat(TrailValues.MAX_CHARS + 1);
    String fits = "y".repeat(TrailValues.MAX_CHARS);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("stdout", big);
    data.put("stderr", fits);
    data.put("exitCode", 3);
    Map<String, Object> compact = TrailValues.compact(data);
    assertThat(compact.keySet()).containsExactly("stdout", "stderr", "exitCode");
    assertThat((String) compact.get("stdout")).hasSize(TrailValues.MAX_CHARS + 1).endsWith("x…");
    assertThat(compact.get("stderr")).isEqualTo(fits);
    assertThat(compact.get("exitCode")).isEqualTo(3);
    assertThat(TrailValues.MAX_CHARS).isEqualTo(16 * 1024);
  }
}
