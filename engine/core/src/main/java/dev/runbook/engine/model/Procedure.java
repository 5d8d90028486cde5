package dev.runbook.engine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A named, reusable list of steps with typed inputs ("repeat 6 to 7 on the standby node"). */
public record Procedure(
    String name, String doc, Map<String, ParamSpec> inputs, List<Step> steps, Position position) {

  public Procedure {
    Objects.requireNonNull(name, "name");
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    steps = List.copyOf(steps);
    Objects.requireNonNull(position, "position");
  }
}
