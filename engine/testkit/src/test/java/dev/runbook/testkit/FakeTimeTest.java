package dev.runbook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fake time moves only when the engine sleeps, by exactly what it asked; and can crash a wait. */
class FakeTimeTest {

  @Test
  void aSleepMovesTheClockOnByItsDurationAtOnce() throws Exception {
    FakeTime time = new FakeTime();

    time.sleep(Duration.ofMinutes(10));
    time.advance(Duration.ofSeconds(1));

    assertThat(time.instant()).isEqualTo(FakeTime.START.plusSeconds(601));
    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(10));
  }

  @Test
  void theChosenSleepCrashesAndTimeStopsThere() throws Exception {
    FakeTime time = new FakeTime();
    time.crashAtSleep(2);

    time.sleep(Duration.ofSeconds(1));
    assertThatThrownBy(() -> time.sleep(Duration.ofSeconds(1))).isInstanceOf(SimulatedCrash.class);
    time.sleep(Duration.ofSeconds(1));

    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anInterruptedSleeperThrows() {
    FakeTime time = new FakeTime();
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> time.sleep(Duration.ofSeconds(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(time.instant()).isEqualTo(FakeTime.START);
  }
}
