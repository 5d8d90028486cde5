package dev.runbook.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreUrlTest {

  @Test
  void readsUserHostPortAndDatabase() {
    StoreUrl url = StoreUrl.parse("postgresql://runbook@127.0.0.1:5433/runs");
    assertThat(url).isEqualTo(new StoreUrl("postgresql", "runbook", "127.0.0.1", 5433, "runs"));
    assertThat(url.toString()).isEqualTo("postgresql://runbook@127.0.0.1:5433/runs");
  }

  @Test
  void portDefaultsTo5432() {
    assertThat(StoreUrl.parse("postgres://db.example/runs").port()).isEqualTo(5432);
  }

  @Test
  void refusesWhatItCannotUseInOneLine() {
    assertThatThrownBy(() -> StoreUrl.parse("mysql://u@h/db"))
        .hasMessageContaining("unknown scheme 'mysql'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://u:secret@h/db"))
        .hasMessageContaining("password does not belong")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://u@h/"))
        .hasMessageContaining("names no database");
    assertThatThrownBy(() -> StoreUrl.parse("postgresql://u@h/db?sslmode=disable"))
        .hasMessageContaining("no query");
    assertThatThrownBy(() -> StoreUrl.parse("/var/lib/runbook"))
        .hasMessageContaining("unknown scheme (none)");
  }
}
