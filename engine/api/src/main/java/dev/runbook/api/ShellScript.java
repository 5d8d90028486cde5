package dev.runbook.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A shell line whose interpolated values are not in its text: each value is an environment variable
 * ({@code RB_PARAM_HostName}) that the line only references ({@code "${RB_PARAM_HostName}"}). No
 * shell therefore ever parses a value as code, however it is quoted; the engine has already refused
 * lines where a value would reach a second parser ({@code sh -c "…"}, an awk program …).
 *
 * <p>An action that runs the line passes {@link #environment()} with it ({@link
 * CommandSpec#withEnvironment}); transports deliver environment variables without putting them on
 * any command line. {@link #toString()} is the script, which holds no value and so no secret.
 */
public final class ShellScript {

  private final String script;
  private final Map<String, Object> environment;

  /**
   * @param script the line, referencing values only as environment variables
   * @param environment each variable's value: a {@code String}, or a {@link Secret}
   */
  public ShellScript(String script, Map<String, ?> environment) {
    this.script = Objects.requireNonNull(script, "script");
    Map<String, Object> copy = new LinkedHashMap<>();
    environment.forEach(
        (name, value) -> {
          if (!(value instanceof String || value instanceof Secret)) {
            throw new IllegalArgumentException(name + " must be a String or a Secret");
          }
          copy.put(name, value);
        });
    this.environment = Collections.unmodifiableMap(copy);
  }

  /** A line with no values in it. */
  public static ShellScript of(String script) {
    return new ShellScript(script, Map.of());
  }

  public String script() {
    return script;
  }

  /** The variables with their real values, to hand to the process. */
  public Map<String, String> environment() {
    Map<String, String> revealed = new LinkedHashMap<>();
    environment.forEach(
        (name, value) ->
            revealed.put(name, value instanceof Secret s ? s.reveal() : (String) value));
    return revealed;
  }

  /** The variables as they may be shown: secrets as {@code ****}. */
  public Map<String, String> shownEnvironment() {
    Map<String, String> shown = new LinkedHashMap<>();
    environment.forEach((name, value) -> shown.put(name, value.toString()));
    return shown;
  }

  /**
   * The line as a person reads it in a message: each reference replaced by its value as it may be
   * shown (secrets masked). Not what runs; {@link #script()} and {@link #environment()} are.
   */
  public String readable() {
    String text = script;
    for (Map.Entry<String, String> entry : shownEnvironment().entrySet()) {
      String name = entry.getKey();
      String shown = entry.getValue();
      text =
          text.replace("'\"${" + name + "}\"'", shown)
              .replace("\"${" + name + "}\"", shown)
              .replace("${" + name + "}", shown);
    }
    return text;
  }

  /** Whether any variable holds a secret. */
  public boolean holdsSecret() {
    return environment.values().stream().anyMatch(Secret.class::isInstance);
  }

  @Override
  public String toString() {
    return script;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ShellScript s
        && s.script.equals(script)
        && s.environment.equals(environment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(script, environment);
  }
}
