package dev.runbook.testkit;

import dev.runbook.api.Action;
import dev.runbook.api.InputSpec;
import dev.runbook.api.InputType;
import dev.runbook.api.Plugin;
import dev.runbook.api.TargetKind;
import dev.runbook.api.TransportProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FAKE plugin for engine tests: the actions a test names ({@link #action}), each scripted, and
 * two kinds of target that nothing connects to: {@code local: true} (the engine's machine) and
 * {@code machine: HOST} (with an optional {@code user}), so that runbooks can name hosts, fan out
 * over them and be resolved from an inventory. Give it to {@link EngineTestKit#plugins}; it is not
 * registered with {@code ServiceLoader}.
 */
public final class ScriptedPlugin implements Plugin {

  /** {@code local: true}: the engine's own machine. */
  public static final TargetKind LOCAL =
      TargetKind.flag("local", TargetKind.ShellDialect.POSIX, "the engine's machine (fake)");

  /** {@code machine: HOST}: a host nothing connects to; scripted actions never ask for one. */
  public static final TargetKind MACHINE =
      TargetKind.value(
          "machine",
          "host",
          List.of(InputSpec.optional("user", InputType.TEXT, "who to be there")),
          TargetKind.ShellDialect.POSIX,
          "a fake machine (tests only)");

  private final Map<String, ScriptedAction> actions = new LinkedHashMap<>();
  private final List<TargetKind> kinds = new ArrayList<>(List.of(LOCAL, MACHINE));
  private final List<TransportProvider> transports = new ArrayList<>();

  @Override
  public String id() {
    return "scripted";
  }

  /** The action named {@code name}, made on first use; script it before the run. */
  public synchronized ScriptedAction action(String name) {
    return actions.computeIfAbsent(name, ScriptedAction::new);
  }

  /** Another kind of target the runbooks may declare; before the first run. */
  public synchronized ScriptedPlugin targetKind(TargetKind kind) {
    kinds.add(kind);
    return this;
  }

  /** A transport to offer (a test's own fake, or a real one); before the first run. */
  public synchronized ScriptedPlugin transport(TransportProvider provider) {
    transports.add(provider);
    return this;
  }

  @Override
  public synchronized List<Action> actions() {
    return List.copyOf(actions.values());
  }

  @Override
  public synchronized List<TargetKind> targetKinds() {
    return List.copyOf(kinds);
  }

  @Override
  public synchronized List<TransportProvider> transports() {
    return List.copyOf(transports);
  }
}
