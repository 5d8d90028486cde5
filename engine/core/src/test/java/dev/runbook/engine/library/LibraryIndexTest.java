package dev.runbook.engine.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.TestRunbooks;
import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library index: a warm index makes a lookup parse only the file that answers, and skips
 * checking bytes that were valid for this build; anything it cannot vouch for (other bytes, another
 * build, a file others may write, a line it did not write) is checked in full.
 */
class LibraryIndexTest {

  private static final String CODE = "build-1";

  @TempDir Path tmp;
  private Path books;
  private Path state;
  private final AtomicInteger checks = new AtomicInteger();
  private final List<String> checked = new ArrayList<>();

  @BeforeEach
  void library() throws IOException {
    books = Files.createDirectories(tmp.resolve("runbooks"));
    state = Files.createDirectories(tmp.resolve("state"));
    write("a.yaml", "ALM-A", "first");
    write("b.yaml", "ALM-B", "second");
    Files.writeString(books.resolve("hosts.yaml"), "hosts:\n  web-1: {host: 10.0.0.1}\n");
  }

  private void write(String file, String alarm, String title) throws IOException {
    Files.writeString(
        books.resolve(file),
        """
        runbook: %s-RB
        title: %s
        alarms: [%s]
        steps:
          - {id: one, cmd: echo one}
        """
            .formatted(alarm, title, alarm));
  }

  /** A checker that counts its calls and finds a problem in every runbook titled "bad". */
  private List<Problem> check(ParseResult result) {
    checks.incrementAndGet();
    checked.add(result.runbook() == null ? "?" : result.runbook().id());
    List<Problem> problems = new ArrayList<>(result.problems());
    if (result.runbook() != null && "bad".equals(result.runbook().title())) {
      problems.add(new Problem(Position.start(result.runbook().file()), "bad title"));
    }
    return problems;
  }

  private RunbookLibrary open(String code, boolean writable) {
    return RunbookLibrary.open(
        List.of(books),
        new RunbookParser(TestRunbooks.REGISTRY),
        this::check,
        LibraryIndex.open(state, code, writable));
  }

  private RunbookLibrary warmed() {
    RunbookLibrary cold = open(CODE, true);
    assertThat(cold.checkedAll()).isNotEmpty();
    cold.saveIndex();
    checks.set(0);
    checked.clear();
    return open(CODE, true);
  }

  @Test
  void aColdLibraryParsesEveryFileAndWritesAPrivateIndex() throws IOException {
    RunbookLibrary cold = open(CODE, true);
    assertThat(cold.checkedAnswering("alm-a"))
        .singleElement()
        .satisfies(c -> assertThat(c.problems()).isEmpty());
    assertThat(cold.parsedFiles()).hasSize(3);
    assertThat(checks).hasValue(1);
    cold.saveIndex();
    Path index = state.resolve(LibraryIndex.FILE);
    assertThat(index).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(index)))
        .isEqualTo("rw-------");
  }

  @Test
  void aWarmIndexParsesOnlyTheFileThatAnswersAndChecksNothingAgain() {
    RunbookLibrary warm = warmed();
    assertThat(warm.checkedAnswering("ALM-B"))
        .singleElement()
        .satisfies(c -> assertThat(c.runbook().id()).isEqualTo("ALM-B-RB"));
    assertThat(warm.parsedFiles()).containsExactly(books.resolve("b.yaml").toString());
    assertThat(checks).as("valid bytes are not checked again").hasValue(0);
    assertThat(warm.hint("ALM-A-R")).contains("ALM-A-RB");
    assertThat(warm.parsedFiles()).as("a hint comes from the index").hasSize(1);
  }

  @Test
  void changedBytesAreParsedAndCheckedAgain() throws IOException {
    warmed();
    write("b.yaml", "ALM-B", "bad");
    RunbookLibrary library = open(CODE, true);
    assertThat(library.checkedAnswering("ALM-B"))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.problems()).extracting(Problem::message).containsExactly("bad title"));
    assertThat(checked).containsExactly("ALM-B-RB");
    library.saveIndex();
    checks.set(0);
    assertThat(open(CODE, true).checkedAnswering("ALM-B").get(0).problems())
        .as("a file with problems is never recorded as valid")
        .hasSize(1);
    assertThat(checks).hasValue(1);
  }

  @Test
  void aFileThatNowClaimsAnotherAlarmIsFoundByItsNewName() throws IOException {
    warmed();
    write("b.yaml", "ALM-A", "second");
    List<RunbookLibrary.Checked> found = open(CODE, true).checkedAnswering("ALM-A");
    assertThat(found).as("both files claim ALM-A now: a conflict").hasSize(2);
  }

  @Test
  void anIndexWrittenByAnotherBuildIsNotBelieved() {
    warmed();
    RunbookLibrary other = open("build-2", true);
    other.checkedAnswering("ALM-A");
    assertThat(other.parsedFiles()).hasSize(3);
    assertThat(checks).hasValue(1);
  }

  @Test
  void anIndexOthersMayWriteIsNotBelieved() throws IOException {
    warmed();
    Files.setPosixFilePermissions(
        state.resolve(LibraryIndex.FILE), PosixFilePermissions.fromString("rw-rw-rw-"));
    open(CODE, true).checkedAnswering("ALM-A");
    assertThat(checks).hasValue(1);
  }

  @Test
  void aLineTheEngineDidNotWriteMakesTheWholeIndexIgnored() throws IOException {
    warmed();
    Path index = state.resolve(LibraryIndex.FILE);
    Files.writeString(index, Files.readString(index) + "not\ta\tline\n");
    RunbookLibrary library = open(CODE, true);
    library.checkedAnswering("ALM-A");
    assertThat(library.parsedFiles()).hasSize(3);
    assertThat(checks).hasValue(1);
  }

  @Test
  void anEngineThatWritesNothingLeavesNoIndexAndNeverMakesTheStateDirectory() throws IOException {
    RunbookLibrary readOnly = open(CODE, false);
    readOnly.checkedAll();
    readOnly.saveIndex();
    assertThat(state.resolve(LibraryIndex.FILE)).doesNotExist();

    Path absent = tmp.resolve("no-state-yet");
    RunbookLibrary library =
        RunbookLibrary.open(
            List.of(books),
            new RunbookParser(TestRunbooks.REGISTRY),
            this::check,
            LibraryIndex.open(absent, CODE, true));
    library.checkedAll();
    library.saveIndex();
    assertThat(absent).doesNotExist();
  }

  @Test
  void namesWithCommasTabsAndNewlinesRoundTrip() throws IOException {
    Files.writeString(
        books.resolve("c.yaml"),
        """
        runbook: "C,1"
        title: odd names
        alarms: ["x\\ty", "p%2Cq"]
        steps:
          - {id: one, cmd: echo one}
        """);
    warmed();
    RunbookLibrary warm = open(CODE, true);
    assertThat(warm.checkedAnswering("p%2Cq")).hasSize(1);
    assertThat(warm.checkedAnswering("x\ty")).hasSize(1);
    assertThat(warm.checkedAnswering("C,1")).hasSize(1);
    assertThat(warm.parsedFiles()).containsExactly(books.resolve("c.yaml").toString());
  }
}
