package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  private static final List<String> FIELDS =
      List.of("next", "title", "timeout", "max_visits", "on_failure");

  @Test
  void suggestsNearMisses() {
    assertThat(Suggestions.closest("nxt", FIELDS)).contains("next");
    assertThat(Suggestions.closest("titel", FIELDS)).contains("title");
    assertThat(Suggestions.closest("max_visit", FIELDS)).contains("max_visits");
    assertThat(Suggestions.closest("Timeout", FIELDS)).contains("timeout");
  }

  @Test
  void staysQuietWhenNothingIsClose() {
    assertThat(Suggestions.closest("banana", FIELDS)).isEmpty();
    assertThat(Suggestions.hint("zz", FIELDS)).isEmpty();
  }

  @Test
  void countsASwapAsOneEdit() {
    assertThat(Suggestions.distance("ture", "true")).isEqualTo(1);
    assertThat(Suggestions.distance("abc", "abc")).isZero();
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
  }
}
