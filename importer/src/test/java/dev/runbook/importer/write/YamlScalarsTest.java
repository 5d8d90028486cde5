package dev.runbook.importer.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Every scalar the writer makes reads back, with YAML 1.2, as exactly the string written. */
class YamlScalarsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain words",
        "yes",
        "no",
        "on",
        "true",
        "null",
        "12017",
        "1.5",
        "0x1F",
        "key: value",
        "a # comment",
        "- a list?",
        "[brackets]",
        "{braces}",
        "\"quoted\"",
        "it's",
        "back\\slash",
        "tab\there",
        "ünïcödé ✓",
        "O&M > Log > Download",
        "*/5 * * * * bash x.sh >/dev/null 2>&1",
        "@at",
        "%percent",
        "`tick`",
        "!tag",
        "&anchor",
        "|pipe",
        ">fold",
        "trailing space ",
        " leading space",
        "line one\nline two",
        "  indented first\nsecond",
        "ends with newline\n",
        "blank\n\nline",
        "trailing spaces   \nin a block",
        "\u0085next line",
        "bell\u0007"
      })
  void roundTrip(String value) {
    Load load = new Load(LoadSettings.builder().build());
    for (int indent : new int[] {0, 4}) {
      String doc = " ".repeat(indent) + "k: " + YamlScalars.value(value, indent) + "\n";
      Object read = load.loadFromString(indent == 0 ? doc : "o:\n" + doc);
      Object got =
          indent == 0
              ? ((Map<?, ?>) read).get("k")
              : ((Map<?, ?>) ((Map<?, ?>) read).get("o")).get("k");
      assertThat(got).as(doc).isEqualTo(value);
    }
    Object flow = load.loadFromString("k: {v: " + YamlScalars.inline(value) + "}\n");
    assertThat(((Map<?, ?>) ((Map<?, ?>) flow).get("k")).get("v")).isEqualTo(value);
  }
}
