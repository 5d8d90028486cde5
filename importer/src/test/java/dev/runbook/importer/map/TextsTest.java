package dev.runbook.importer.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text written into fields the engine reads as templates stays as the document wrote it. */
class TextsTest {

  @Test
  void aReferenceTheEngineWouldFillInIsEscaped() {
    assertThat(Texts.literal("echo ${params.HostName}")).isEqualTo("echo $${params.HostName}");
    assertThat(Texts.literal("cd ${BIGDATA_HOME}/x")).isEqualTo("cd ${BIGDATA_HOME}/x");
    assertThat(Texts.literal("echo ${HOME:-/root}")).isEqualTo("echo ${HOME:-/root}");
    assertThat(Texts.literal("echo ${unclosed")).isEqualTo("echo $${unclosed");
  }

  @Test
  void anEndsMessageHasNoTemplateAtAll() {
    assertThat(Texts.message("no further action: see ${BIGDATA_HOME}/logs"))
        .isEqualTo("No further action: see $BIGDATA_HOME/logs");
  }

  @Test
  void titlesAreTheFirstSentenceCutAtAWord() {
    assertThat(Texts.title("Log in to the node. Run the command.")).isEqualTo("Log in to the node");
    String long_ =
        "Choose O&M > Alarm > Thresholds > Name of the desired cluster > Host > Disk > Disk Usage and check it.";
    assertThat(Texts.title(long_)).endsWith("…").hasSizeLessThanOrEqualTo(81);
  }
}
