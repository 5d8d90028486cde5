package dev.runbook.engine.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An action input as written in a step: a scalar, a list or a mapping of templates. */
public sealed interface InputValue {

  Position position();

  record Scalar(Template value) implements InputValue {
    @Override
    public Position position() {
      return value.position();
    }
  }

  record ListValue(List<Template> items, Position position) implements InputValue {
    public ListValue {
      items = List.copyOf(items);
    }
  }

  record MapValue(Map<String, Template> entries, Position position) implements InputValue {
    public MapValue {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }
}
