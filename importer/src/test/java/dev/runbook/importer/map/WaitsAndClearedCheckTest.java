package dev.runbook.importer.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Check whether the alarm is cleared N minutes later" in its forms. */
class WaitsAndClearedCheckTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "After 2 minutes, check whether the alarm is cleared.|2m|true",
        "Handle the large file and check whether the alarm is cleared 2 minutes later.|2m|true",
        "Wait a hour and check whether the alarm is cleared.|1h|true",
        "Eight hours later, check whether the alarm is automatically cleared.|8h|true",
        "Check whether the alarm is cleared in 5 to 10 minutes.|10m|true",
        "One hour later, check whether this alarm is cleared.|1h|true",
        "Wait for about 10 minutes and check whether the alarm is cleared.|10m|true",
        "Wait for several minutes and check whether the alarm is cleared.|5m|false",
        "After a period of time, check whether the alarm is cleared.|5m|false",
        "Wait 30 seconds and check whether the alarm is cleared.|30s|true"
      })
  void waits(String sentence, String duration, boolean stated) {
    Waits.Wait wait = Waits.in(sentence);
    assertThat(wait.duration()).isEqualTo(duration);
    assertThat(wait.stated()).isEqualTo(stated);
    assertThat(ClearedCheck.in(sentence, "12017")).isTrue();
  }

  @Test
  void noWaitWhenTheSentenceNamesNone() {
    assertThat(Waits.in("Check whether the alarm is cleared.")).isNull();
  }

  @Test
  void anotherAlarmsClearingIsNotThisAlarmsCheck() {
    assertThat(
            ClearedCheck.in(
                "In the alarm list, check whether the alarm ALM-12006 Node Fault is cleared.",
                "25000"))
        .isFalse();
    assertThat(
            ClearedCheck.in(
                "In the alarm list, check whether the alarm ALM-25000 LdapServer Service Unavailable is cleared.",
                "25000"))
        .isTrue();
    assertThat(
            ClearedCheck.in(
                "Check whether this alarm is generated again during periodic check.", "1"))
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Handle the large file and check whether the alarm is cleared 2 minutes later.|Handle the large file.",
        "After 2 minutes, check whether the alarm is cleared.|",
        "Contact the network administrator to recover the network and check whether the alarm is cleared.|Contact the network administrator to recover the network.",
        "After the disk capacity is expanded, wait 2 minutes and check whether the alarm is cleared.|",
        "Then, check whether the alarm is cleared 1 minute later.|"
      })
  void whatAPersonDoesBesidesTheCheck(String sentence, String remainder) {
    assertThat(ClearedCheck.remainder(sentence)).isEqualTo(remainder == null ? "" : remainder);
  }
}
