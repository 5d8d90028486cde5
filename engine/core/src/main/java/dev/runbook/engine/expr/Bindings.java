package dev.runbook.engine.expr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values in scope for one step: parameters, the procedure's inputs, loop variables, the results
 * of steps run so far, and the values steps captured so far. Immutable (the step results and
 * captured values are looked up as the run has them); {@link #withInputs} and {@link
 * #withLoopVariable} make the scope of a procedure body.
 */
public final class Bindings implements ValueScope {

  private final Map<String, Value> params;
  private final Map<String, Value> inputs;
  private final Map<String, Value> loopVariables;
  private final Function<String, Object> stepResults;
  private final Function<String, Value> captured;

  public Bindings(Map<String, Value> params, Function<String, Object> stepResults) {
    this(params, stepResults, name -> null);
  }

  /**
   * @param captured the value a step captured, by name, or null when none has (yet)
   */
  public Bindings(
      Map<String, Value> params,
      Function<String, Object> stepResults,
      Function<String, Value> captured) {
    this(params, Map.of(), Map.of(), stepResults, captured);
  }

  private Bindings(
      Map<String, Value> params,
      Map<String, Value> inputs,
      Map<String, Value> loopVariables,
      Function<String, Object> stepResults,
      Function<String, Value> captured) {
    this.params = Map.copyOf(params);
    this.inputs = Map.copyOf(inputs);
    this.loopVariables = Map.copyOf(loopVariables);
    this.stepResults = stepResults;
    this.captured = captured;
  }

  public Bindings withInputs(Map<String, Value> procedureInputs) {
    return new Bindings(params, procedureInputs, Map.of(), stepResults, captured);
  }

  public Bindings withLoopVariable(String name, Value value) {
    Map<String, Value> vars = new HashMap<>(loopVariables);
    vars.put(name, value);
    return new Bindings(params, inputs, vars, stepResults, captured);
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
      case "captured" -> Optional.ofNullable(captured.apply(name));
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
