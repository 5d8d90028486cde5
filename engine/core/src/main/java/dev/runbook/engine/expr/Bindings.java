package dev.runbook.engine.expr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values in scope for one step: parameters, the procedure's inputs, loop variables, and the
 * results of steps run so far. Immutable; {@link #withInputs} and {@link #withLoopVariable} make
 * the scope of a procedure body.
 */
public final class Bindings implements ValueScope {

  private final Map<String, Value> params;
  private final Map<String, Value> inputs;
  private final Map<String, Value> loopVariables;
  private final Function<String, Object> stepResults;

  public Bindings(Map<String, Value> params, Function<String, Object> stepResults) {
    this(params, Map.of(), Map.of(), stepResults);
  }

  private Bindings(
      Map<String, Value> params,
      Map<String, Value> inputs,
      Map<String, Value> loopVariables,
      Function<String, Object> stepResults) {
    this.params = Map.copyOf(params);
    this.inputs = Map.copyOf(inputs);
    this.loopVariables = Map.copyOf(loopVariables);
    this.stepResults = stepResults;
  }

  public Bindings withInputs(Map<String, Value> procedureInputs) {
    return new Bindings(params, procedureInputs, Map.of(), stepResults);
  }

  public Bindings withLoopVariable(String name, Value value) {
    Map<String, Value> vars = new HashMap<>(loopVariables);
    vars.put(name, value);
    return new Bindings(params, inputs, vars, stepResults);
  }

  public Map<String, Value> params() {
    return params;
  }

  public Map<String, Value> inputs() {
    return inputs;
  }

  @Override
  public Optional<Value> lookup(List<String> path) {
    String root = path.get(0);
    if (path.size() == 1) {
      return Optional.ofNullable(loopVariables.get(root));
    }
    String name = path.get(1);
    return switch (root) {
      case "params" -> Optional.ofNullable(params.get(name));
      case "inputs" -> Optional.ofNullable(inputs.get(name));
      case "steps" -> navigate(stepResults.apply(name), path.subList(2, path.size()));
      default -> Optional.empty();
    };
  }

  private static Optional<Value> navigate(Object value, List<String> rest) {
    Object current = value;
    for (String key : rest) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(key);
      } else if (current instanceof List<?> list
          && key.matches("\\d+")
          && Integer.parseInt(key) < list.size()) {
        current = list.get(Integer.parseInt(key));
      } else {
        return Optional.empty();
      }
    }
    return current == null ? Optional.empty() : Optional.of(Value.plain(current.toString()));
  }
}
