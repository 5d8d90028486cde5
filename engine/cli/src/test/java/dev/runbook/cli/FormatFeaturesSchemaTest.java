package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The JSON Schema knows the format features of issue 14 as {@code runbook validate} does: {@code
 * capture:}, {@code switch:} and {@code cases:} (and what the schema can see of their mistakes).
 */
class FormatFeaturesSchemaTest {

  @TempDir Path dir;

  private static Set<ValidationMessage> check(Path file) throws IOException {
    JsonSchema schema;
    try (InputStream in = Files.newInputStream(Cli.LIBRARY.resolve("runbook.schema.json"))) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
    Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    return schema.validate(new ObjectMapper().valueToTree(yaml));
  }

  @Test
  void captureSwitchAndCasesAreAcceptedByBoth() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("features.yaml"),
            """
            runbook: FEATURES
            title: capture, switch, cases
            targets:
              alarm-host: {ssh: "${captured.AlarmHost}", user: omm}
            steps:
              - id: find-host
                ask: Which host does the alarm's Location name?
                capture: {name: AlarmHost, type: host}
              - id: token
                manual: Read the one-time token off the console.
                capture: {name: Token, type: string, secret: true, pattern: "[0-9]{6}"}
              - id: detect
                on: alarm-host
                shell: systemctl is-active ntpd chronyd | paste -sd' ' -
                changes: false
              - id: which
                switch: "steps['detect'].stdout.startsWith('active') ? 'ntp' : 'chrony'"
                cases: {ntp: os, chrony: os}
                default: os
              - id: os
                ask: Which operating system does the node run?
                cases: {SUSE: {end: resolved}, RHEL: {end: resolved}}
                default: {end: escalated}
            """);
    assertThat(check(file)).isEmpty();
    Cli cli = Cli.runRaw("validate", file.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
  }

  @Test
  void theirMistakesThatAShapeShowsAreRejected() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("wrong.yaml"),
            """
            runbook: WRONG
            title: capture and cases where they do not belong
            steps:
              - {id: a, sleep: 1s, capture: {name: X}}
              - {id: b, ask: Which port?, capture: {name: Port, type: int, secret: true}}
              - {id: c, ask: Which?, capture: {name: Y}, yes: d, no: d}
              - {id: d, switch: "1", cases: {other: e}, default: e}
              - {id: e, manual: Look., cases: {x: f}, default: f}
              - {id: f, ask: Now?, cases: {x: g}}
              - {id: g, end: resolved}
            """);
    assertThat(check(file)).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void aLibraryFileAndARunbookThatUsesItAreAcceptedByBoth() throws IOException {
    Path library =
        Files.writeString(
            dir.resolve("shared.yaml"),
            """
            library: shared
            title: shared procedures
            procedures:
              wait-then-check-cleared:
                inputs:
                  alarm: {type: string, required: true}
                  wait: {type: duration, default: 1m}
                steps:
                  - {id: wait, sleep: "${inputs.wait}"}
                  - {id: cleared, ask: "Cleared?", yes: {return: yes}, no: {return: no}}
            """);
    Path runbook =
        Files.writeString(
            dir.resolve("uses.yaml"),
            """
            runbook: USES
            title: uses a library
            uses: [shared]
            steps:
              - id: check
                call: shared.wait-then-check-cleared
                with: {alarm: ALM-1, wait: 5m}
                yes: {end: resolved}
                no: {end: escalated}
            """);
    assertThat(check(library)).isEmpty();
    assertThat(check(runbook)).isEmpty();
    Cli cli = Cli.runRaw("validate", runbook.toString());
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isZero();
  }

  @Test
  void aLibraryWithStepsParamsOrNoProceduresIsRejected() throws IOException {
    Path withSteps =
        Files.writeString(
            dir.resolve("lib-steps.yaml"),
            """
            library: shared
            params: {X: {type: string}}
            procedures:
              p:
                steps:
                  - {id: a, manual: x}
            steps:
              - {id: b, manual: y}
            """);
    Path noProcedures = Files.writeString(dir.resolve("lib-empty.yaml"), "library: shared\n");
    Path badUses =
        Files.writeString(
            dir.resolve("bad-uses.yaml"),
            """
            runbook: R
            title: uses is a list of names
            uses: shared
            steps:
              - {id: a, manual: x}
            """);
    assertThat(check(withSteps)).isNotEmpty();
    assertThat(check(noProcedures)).isNotEmpty();
    assertThat(check(badUses)).isNotEmpty();
  }
}
