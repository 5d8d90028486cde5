package dev.runbook.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
import dev.runbook.engine.FakeCommandPlugin;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.validate.RunbookValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kind of target the engine has never heard of, brought by a plugin, is read, checked and
 * resolved like the built-in ones: the engine core names no transport.
 */
class TargetKindsTest {

  /** A plugin bringing a Windows-like machine kind: settings of its own, no POSIX shell. */
  private static final class WinrmPlugin implements Plugin {
    @Override
    public String id() {
      return "winrm-test";
    }

    @Override
    public List<TargetKind> targetKinds() {
      return List.of(
          TargetKind.value(
              "winrm",
              "host",
              List.of(
                  InputSpec.optional("user", InputType.TEXT, "user"),
                  InputSpec.optional("transport", InputType.TEXT, "ntlm or kerberos")),
              TargetKind.ShellDialect.NONE,
              "a Windows machine"));
    }
  }

  private static final PluginRegistry REGISTRY =
      PluginRegistry.of(List.of(new FakeCommandPlugin(), new WinrmPlugin()));

  private static List<String> problems(String yaml) {
    ParseResult parsed =
        new RunbookParser(REGISTRY).parse("t.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    List<Problem> all = new ArrayList<>(parsed.problems());
    if (parsed.runbook() != null) {
      all.addAll(new RunbookValidator(REGISTRY, new Expressions()).validate(parsed.runbook()));
    }
    return all.stream().map(Problem::toString).toList();
  }

  @Test
  void aPluginsKindIsDeclaredWithItsOwnSettings() {
    ParseResult parsed =
        new RunbookParser(REGISTRY)
            .parse(
                "t.yaml",
                """
                runbook: W
                title: t
                targets:
                  box: {winrm: win-01, user: admin, transport: ntlm}
                steps:
                  - {id: a, cmd: {argv: [hostname]}, on: box}
                """
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.problems()).isEmpty();
    Runbook runbook = parsed.runbook();
    assertThat(runbook.targets().get("box").kind()).isEqualTo("winrm");
    assertThat(runbook.targets().get("box").settings().keySet())
        .containsExactly("host", "user", "transport");
  }

  @Test
  void itsUnknownSettingsAndTheListOfKindsComeFromThePlugins() {
    assertThat(
            problems(
                """
                runbook: W
                title: t
                targets:
                  box: {winrm: win-01, usr: admin}
                  none: {telnet: old-box}
                steps:
                  - {id: a, cmd: {argv: [hostname]}, on: box}
                """))
        .anySatisfy(p -> assertThat(p).contains("usr").contains("did you mean 'user'"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("target 'none' must have exactly one of kubectl, local, ssh, winrm"));
  }

  @Test
  void shellLinesAreRefusedOnAMachineWithoutAPosixShell() {
    assertThat(
            problems(
                """
                runbook: W
                title: t
                targets:
                  box: {winrm: win-01}
                steps:
                  - {id: a, cmd: 'hostname', on: box}
                """))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("step 'a': its commands would run on 'box', a winrm target")
                    .contains("no POSIX shell"));
  }

  @Test
  void theInventoryTakesTheMachineKindsSettingsAndNamesHostsByTheirPrimarySetting(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, "hosts:\n  win-01: {host: 10.0.0.9, transport: kerberos}\n");
    Inventory inventory = Inventory.load(file, REGISTRY.targetKinds());
    assertThat(inventory.apply("winrm", Map.of("host", "win-01", "user", "admin")))
        .containsEntry("host", "10.0.0.9")
        .containsEntry("transport", "kerberos")
        .containsEntry("user", "admin")
        .containsEntry("alias", "win-01");
    // A client kind has no primary setting: the inventory leaves its settings alone.
    assertThat(inventory.apply("kubectl", Map.of("context", "win-01")))
        .isEqualTo(Map.of("context", "win-01"));
    Files.writeString(file, "hosts:\n  win-01: {hots: 10.0.0.9}\n");
    Assertions.assertThatThrownBy(() -> Inventory.load(file, REGISTRY.targetKinds()))
        .hasMessageContaining("unknown setting 'hots' (did you mean 'host'?)");
  }
}
