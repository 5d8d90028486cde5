package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.library.LibraryIndex;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library file and a runbook that uses it, through the engine's facade (with the FAKE command
 * plugin): both are checked, the run records the library's bytes, a resume refuses a changed
 * library, and the library index checks a runbook again when its library changed.
 */
class SharedLibraryEngineTest {

  static final String LIBRARY =
      """
      library: mrs-common
      procedures:
        wait-then-check-cleared:
          inputs:
            alarm: {type: string, required: true}
            wait: {type: duration, default: 0s}
          steps:
            - {id: wait, sleep: "${inputs.wait}"}
            - id: cleared
              ask: Is alarm ${inputs.alarm} cleared?
              yes: {return: yes}
              no: {return: no}
      """;

  static final String RUNBOOK =
      """
      runbook: ALM-12012
      title: NTP time offset
      uses: [mrs-common]
      steps:
        - {id: restart, cmd: systemctl restart ntpd}
        - id: cleared-5
          call: mrs-common.wait-then-check-cleared
          with: {alarm: ALM-12012, wait: 5m}
          yes: {end: resolved}
          no: {end: escalated}
      """;

  @TempDir Path tmp;
  private Path books;
  private Path state;

  @BeforeEach
  void files() throws IOException {
    books = Files.createDirectories(tmp.resolve("runbooks/mrs"));
    state = Files.createDirectories(tmp.resolve("state"));
    Files.writeString(books.resolve("mrs-common.yaml"), LIBRARY);
    Files.writeString(books.resolve("ALM-12012.yaml"), RUNBOOK);
  }

  private Engine engine() {
    return Engine.builder()
        .runbooks(List.of(tmp.resolve("runbooks")))
        .stateDir(state)
        .sleeper(duration -> {})
        .build();
  }

  private static final RunRequest.Operator WHO = new RunRequest.Operator("tester", "tester");

  private static List<RunRequest.GivenAnswers> answers(Map<String, String> byStep) {
    Map<String, Answer> given = new java.util.LinkedHashMap<>();
    byStep.forEach((step, value) -> given.put(step, new Answer(value, "-", "-", null)));
    return List.of(new RunRequest.GivenAnswers("--answer", given));
  }

  @Test
  void theLibraryAndTheRunbookThatUsesItAreBothChecked() throws Refused {
    Engine.Catalog catalog = engine().validate(List.of());
    assertThat(catalog.entries()).hasSize(2).allSatisfy(e -> assertThat(e.problems()).isEmpty());
    assertThat(catalog.entries())
        .anySatisfy(
            e ->
                assertThat(e.library()).isNotNull().extracting(Library::id).isEqualTo("mrs-common"))
        .anySatisfy(
            e -> {
              assertThat(e.runbook()).isNotNull();
              assertThat(e.runbook().procedure("mrs-common.wait-then-check-cleared")).isNotNull();
            });
  }

  @Test
  void validatingOneFileFindsTheLibraryBesideIt() throws Refused {
    Engine.Catalog catalog =
        Engine.builder().build().validate(List.of(books.resolve("ALM-12012.yaml")));
    assertThat(catalog.entries()).singleElement().satisfies(e -> assertThat(e.valid()).isTrue());
  }

  @Test
  void theRunRecordsTheLibrarysBytesAndAResumeRefusesAChangedLibrary() throws Exception {
    RunResult paused =
        engine()
            .run(
                new RunRequest(
                    "ALM-12012", Map.of(), List.of(), Answerer.NOBODY, Duration.ZERO, WHO),
                new RunListener() {});
    assertThat(paused.pausedAt()).isEqualTo("cleared-5@1/cleared@1");
    AuditEvent.RunStarted started =
        (AuditEvent.RunStarted) AuditTrail.read(engine().findRun(paused.runId())).events().get(0);
    assertThat(started.libraries())
        .containsExactly(
            new AuditEvent.LibraryUsed(
                "mrs-common",
                books.resolve("mrs-common.yaml").toAbsolutePath().normalize().toString(),
                dev.runbook.engine.audit.Hashes.sha256(
                    Files.readAllBytes(books.resolve("mrs-common.yaml")))));

    Files.writeString(books.resolve("mrs-common.yaml"), LIBRARY.replace("cleared?", "gone?"));
    ResumeRequest resume =
        new ResumeRequest(
            paused.runId(),
            Map.of(),
            answers(Map.of("cleared", "yes")),
            Answerer.NOBODY,
            Duration.ZERO,
            false,
            WHO);
    assertThatThrownBy(() -> engine().resume(resume, new RunListener() {}))
        .isInstanceOf(Refused.class)
        .hasMessageStartingWith("library mrs-common (" + books.resolve("mrs-common.yaml"))
        .hasMessageContaining("is gone or changed since the run started");

    Files.writeString(books.resolve("mrs-common.yaml"), LIBRARY);
    RunResult resumed = engine().resume(resume, new RunListener() {});
    assertThat(resumed.outcome()).isEqualTo(Outcome.RESOLVED);
  }

  @Test
  void aRunbookWhoseLibraryChangedIsCheckedAgainDespiteAWarmIndex() throws Exception {
    assertThat(engine().validate(List.of()).entries())
        .allSatisfy(e -> assertThat(e.valid()).isTrue());
    assertThat(state.resolve(LibraryIndex.FILE)).exists();
    Files.writeString(
        books.resolve("mrs-common.yaml"),
        LIBRARY.replace("wait-then-check-cleared:", "check-cleared:"));
    Engine.Catalog again = engine().validate(List.of());
    assertThat(again.entries())
        .anySatisfy(
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .hasToString(
                        books.resolve("ALM-12012.yaml")
                            + ":7:11: step 'cleared-5': no procedure"
                            + " 'mrs-common.wait-then-check-cleared'; library 'mrs-common' has"
                            + " check-cleared"));
    assertThatThrownBy(() -> engine().runbook("ALM-12012"))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("has 1 problem");
  }

  @Test
  void anAnswerToAStepOfALibraryProcedureIsAccepted() throws Exception {
    RunResult run =
        engine()
            .run(
                new RunRequest(
                    "ALM-12012",
                    Map.of(),
                    answers(Map.of("cleared", "no")),
                    Answerer.NOBODY,
                    Duration.ZERO,
                    WHO),
                new RunListener() {});
    assertThat(run.outcome()).isEqualTo(Outcome.ESCALATED);
  }

  @Test
  void aRunbookThatUsesABrokenLibraryIsNotValidAndDoesNotRun() throws Exception {
    Files.writeString(
        books.resolve("mrs-common.yaml"), LIBRARY.replace("no: {return: no}", "no: nowhere"));
    Engine.Catalog catalog = engine().validate(List.of());
    Path library = tmp.resolve("runbooks/mrs/mrs-common.yaml");
    String own = library + ":12:13: step 'cleared': 'no' names no step 'nowhere'";
    assertThat(catalog.entries())
        .anySatisfy(
            e -> {
              assertThat(e.library()).isNotNull();
              assertThat(e.problems()).singleElement().hasToString(own);
            })
        .anySatisfy(
            e -> {
              assertThat(e.runbook()).isNotNull();
              assertThat(e.problems())
                  .singleElement()
                  .hasToString(
                      books.resolve("ALM-12012.yaml")
                          + ":3:8: uses: library 'mrs-common' has 1 problem of its own, first "
                          + own
                          + "; fix the library");
            });
    assertThatThrownBy(() -> engine().runbook("ALM-12012"))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("has 1 problem");
  }
}
