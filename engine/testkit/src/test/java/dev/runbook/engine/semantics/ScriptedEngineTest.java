package dev.runbook.engine.semantics;

import dev.runbook.testkit.EngineTestKit;
import dev.runbook.testkit.ScriptedAction;
import dev.runbook.testkit.ScriptedPlugin;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every semantic test starts from: a kit over a temporary directory of its own, with the
 * scripted plugin and its action {@code probe} (a test names others with {@code plugin.action}).
 * Subclasses write their runbooks into {@link #kit} and script the actions before they run.
 */
abstract class ScriptedEngineTest {

  @TempDir Path tmp;
  final ScriptedPlugin plugin = new ScriptedPlugin();
  final ScriptedAction probe = plugin.action("probe");
  EngineTestKit kit;

  @BeforeEach
  void newKit() {
    kit = EngineTestKit.in(tmp).plugins(plugin);
  }
}
