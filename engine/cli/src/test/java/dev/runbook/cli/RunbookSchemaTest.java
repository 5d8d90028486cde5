package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.runbook.engine.library.RunbookLibrary;
import dev.runbook.engine.plugin.PluginRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The JSON Schema editors use agrees with the runbooks `runbook validate` accepts. */
class RunbookSchemaTest {

  private static JsonSchema schema() throws IOException {
    try (InputStream in = Files.newInputStream(Cli.LIBRARY.resolve("runbook.schema.json"))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  private static Set<ValidationMessage> check(JsonSchema schema, Path file) throws IOException {
    Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    JsonNode json = new ObjectMapper().valueToTree(yaml);
    return schema.validate(json);
  }

  @Test
  void everyShippedRunbookMatchesTheSchema() throws IOException {
    JsonSchema schema = schema();
    List<Path> files = RunbookLibrary.files(List.of(Cli.LIBRARY));
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : files) {
      assertThat(check(schema, file)).as(file.toString()).isEmpty();
    }
  }

  /**
   * The broken-corpus files the schema must reject (four of them are not even YAML an editor could
   * read). Pinned both ways: a schema that starts accepting one of these, or rejecting another
   * file, fails here, and the list is updated on purpose.
   */
  static final Set<String> MUST_REJECT =
      Set.of(
          "01-unknown-top-level-field",
          "02-unknown-step-field",
          "03-misspelt-action",
          "04-missing-runbook-id",
          "05-missing-steps",
          "06-empty-steps",
          "07-steps-is-mapping",
          "08-title-is-list",
          "09-duplicate-key",
          "11-tab-indentation",
          "12-unclosed-quote",
          "13-bad-indentation",
          "20-decision-missing-no",
          "21-ask-missing-yes",
          "22-yes-on-manual-step",
          "23-ask-and-manual",
          "24-step-does-nothing",
          "35-return-in-main-steps",
          "36-end-unknown-outcome",
          "37-bad-duration",
          "38-unknown-param-type",
          "39-enum-without-values",
          "40-default-violates-type",
          "41-shell-unknown-input",
          "42-shell-command-and-argv",
          "45-exit-code-300",
          "46-foreach-parallel-zero",
          "47-three-problems",
          "49-three-problems-in-procedure",
          "53-bad-step-id",
          "54-kubectl-binary-typo",
          "55-pattern-on-int",
          "56-bool-written-yes",
          "57-outcome-typo-in-inline-branch",
          "60-misspelt-required-field",
          "62-unknown-severity",
          "63-source-missing-document",
          "64-param-name-not-identifier",
          "65-target-ssh-and-local",
          "67-poll-missing-every",
          "69-return-maybe",
          "70-with-on-manual-step",
          "71-empty-file",
          "72-top-level-list",
          "73-shell-given-a-list",
          "75-retry-attempts-zero",
          "78-on-failure-on-question",
          "79-procedure-field-typo",
          "81-template-in-an-end-message",
          "83-capture-type-bool",
          "84-switch-without-default");

  /**
   * What a JSON Schema cannot see, which only {@code runbook validate} checks: references between
   * parts (step ids, procedures, inputs, targets, parameters named in templates and CEL), CEL
   * itself, the graph (cycles, unreachable steps, recursion), duplicate ids in a list, a regular
   * expression's validity, and a value checked against another field (an enum default, the type of
   * the parameter a sleep names).
   */
  static final Set<String> ONLY_VALIDATE_SEES =
      Set.of(
          "10-duplicate-step-id",
          "14-next-unknown-step",
          "15-yes-unknown-step",
          "16-no-unknown-step",
          "17-next-into-procedure",
          "18-unreachable-step",
          "19-cycle-without-max-visits",
          "25-template-undeclared-param",
          "26-cel-undeclared-param",
          "27-cel-syntax-error",
          "28-cel-not-bool",
          "29-result-in-decision",
          "30-inputs-in-main-steps",
          "31-on-undeclared-target",
          "32-call-unknown-procedure",
          "33-call-unknown-input",
          "34-missing-required-input",
          "43-procedure-calls-itself",
          "44-steps-missing-ref",
          "48-two-problems-cel-and-target",
          "50-template-in-literal-block",
          "51-condition-in-folded-block",
          "52-invalid-regex-pattern",
          "58-cel-misspelt-result",
          "59-mutual-recursion",
          "61-enum-default-not-in-values",
          "66-on-failure-unknown-step",
          "68-sleep-int-param",
          "74-template-unknown-step",
          "76-lock-undeclared-param",
          "77-self-loop",
          "80-via-names-a-kubectl-target",
          "82-captured-before-capture",
          "85-case-names-no-step",
          "86-uses-unknown-library",
          "87-call-unknown-library-procedure",
          "88-library-input-wrong-type",
          "89-library-call-without-uses",
          "90-library-procedures-recurse");

  @Test
  void theSchemaRejectsExactlyTheBrokenFilesItCanSee() throws IOException {
    JsonSchema schema = schema();
    Set<String> all = new TreeSet<>();
    Set<String> rejected = new TreeSet<>();
    try (Stream<Path> files = Files.list(BROKEN)) {
      for (Path file :
          files.filter(f -> BrokenCorpusTest.isCase(f.getFileName().toString())).toList()) {
        String name = file.getFileName().toString().replace(".yaml", "");
        all.add(name);
        if (!readable(file) || !check(schema, file).isEmpty()) {
          rejected.add(name);
        }
      }
    }
    assertThat(rejected).containsExactlyInAnyOrderElementsOf(MUST_REJECT);
    Set<String> classified = new TreeSet<>(MUST_REJECT);
    classified.addAll(ONLY_VALIDATE_SEES);
    assertThat(all).as("every corpus file is in one of the two lists").isEqualTo(classified);
  }

  @Test
  void misspeltStepFieldsAndActionsAreNamed() throws IOException {
    JsonSchema schema = schema();
    assertThat(messages(schema, "02-unknown-step-field")).anyMatch(m -> m.contains("nxt"));
    assertThat(messages(schema, "03-misspelt-action")).anyMatch(m -> m.contains("shel"));
  }

  @Test
  void theSchemasActionsAreTheRegistrysActions() throws IOException {
    JsonNode schema =
        new ObjectMapper().readTree(Cli.LIBRARY.resolve("runbook.schema.json").toFile());
    Set<String> inSchema = new TreeSet<>();
    schema.at("/$defs/actionName/enum").forEach(n -> inSchema.add(n.asText()));
    Set<String> registered =
        new TreeSet<>(PluginRegistry.load(getClass().getClassLoader()).descriptors().keySet());
    assertThat(inSchema).isNotEmpty().isEqualTo(registered);
  }

  @Test
  void theNewerFormatKeysAreAccepted(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("new-keys.yaml"),
            """
            runbook: NEW-KEYS
            title: allow_leading_dash, secret_output, on_failure on non-action steps
            params:
              Offset: {type: int, default: -5, allow_leading_dash: true}
            procedures:
              check:
                steps:
                  - {id: ok, return: yes}
            steps:
              - id: keys
                shell: chronyc -n sources ${params.Offset}
                secret_output: true
                changes: false
              - id: wait
                sleep: 1s
                on_failure: {end: failed, message: the wait was cut short}
              - id: confirm
                manual: Check the keys.
                max_visits: 2
                on_failure: give-up
              - id: again
                call: check
                on_failure: give-up
                yes: persists
                no: {end: resolved}
              - id: persists
                ask: Is the alarm still there?
                on_failure: give-up
                yes: confirm
                no: {end: resolved}
              - {id: give-up, end: escalated, message: hand it to O&M}
            """);
    assertThat(check(schema(), file)).isEmpty();
    Cli cli = Cli.runRaw("validate", file.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
  }

  @Test
  void aNewerKeyInTheWrongPlaceIsRejected(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("wrong.yaml"),
            """
            runbook: WRONG
            title: secret_output on a question
            steps:
              - {id: q, ask: Now?, secret_output: true, yes: done, no: done}
              - {id: done, end: resolved, on_failure: done}
            """);
    assertThat(check(schema(), file)).hasSizeGreaterThanOrEqualTo(2);
  }

  private static final Path BROKEN = Path.of("src/test/resources/broken");

  private static boolean readable(Path file) throws IOException {
    try {
      new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static List<String> messages(JsonSchema schema, String name) throws IOException {
    return check(schema, BROKEN.resolve(name + ".yaml")).stream()
        .map(ValidationMessage::getMessage)
        .toList();
  }
}
