package dev.runbook.engine.validate;

import dev.runbook.engine.model.Durations;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.parse.Suggestions;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a parameter value against its declared type before anything runs. These rules are the
 * first line against shell injection: a host or path can never hold a shell metacharacter or start
 * with '-'; every other value is quoted when interpolated into a shell line.
 */
public final class ParamValues {

  /** A DNS name (a fully qualified one may end with its root dot) or an IPv4 address. */
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?\\.?");

  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]?");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0a-\\x1f\\x7f]");

  private ParamValues() {}

  /**
   * Secrets shorter than this are refused: masking them in output would hide unrelated text (a
   * 2-character secret turns {@code 1234567} into {@code ****34567}) and hint at the value.
   */
  public static final int SHORTEST_SECRET = 6;

  /** Why the value is not acceptable, or empty when it is. */
  public static Optional<String> problem(ParamSpec spec, String value) {
    if (spec.secret()) {
      // A secret may span lines (a PEM key given with @FILE); it is never put in a command line.
      if (value.indexOf('\0') >= 0) {
        return Optional.of("holds a NUL byte, which no command can receive");
      }
      if (value.length() < SHORTEST_SECRET) {
        return Optional.of(
            "is "
                + value.length()
                + " characters long; a secret that short cannot be masked in output without"
                + " hiding unrelated text, and is easy to guess: use at least "
                + SHORTEST_SECRET);
      }
      return matches(spec.pattern(), value);
    }
    if (CONTROL.matcher(value).find()) {
      return Optional.of(
          "holds a control character (newline, NUL …), which no "
              + spec.type().label()
              + " value may");
    }
    return switch (spec.type()) {
      case HOST -> host(value);
      case HOSTS -> hosts(value);
      case PATH ->
          value.isEmpty()
              ? Optional.of("is empty; give a path")
              : value.startsWith("-")
                  ? Optional.of(
                      "starts with '-', which a command could read as an option; write ./" + value)
                  : Optional.empty();
      case INT -> integer(value);
      case BOOL ->
          value.equals("true") || value.equals("false")
              ? Optional.empty()
              : Optional.of("must be true or false");
      case DURATION -> duration(value);
      case ENUM ->
          spec.values().contains(value)
              ? Optional.empty()
              : Optional.of(
                  "must be one of "
                      + String.join(", ", spec.values())
                      + Suggestions.hint(value, spec.values()));
      case TARGET, STRING -> matches(spec.pattern(), value);
    };
  }

  private static Optional<String> matches(String pattern, String value) {
    if (pattern == null) {
      return Optional.empty();
    }
    try {
      return Pattern.compile(pattern).matcher(value).matches()
          ? Optional.empty()
          : Optional.of("does not match the pattern " + pattern);
    } catch (PatternSyntaxException e) {
      // The parser reports it and drops the pattern; a spec built elsewhere gets a message, not a
      // crash.
      return Optional.of("cannot be checked: the pattern " + pattern + " is not valid");
    }
  }

  private static Optional<String> host(String value) {
    if (HOST_NAME.matcher(value).matches()
        || (IPV6.matcher(value).matches() && value.length() <= 47)) {
      return Optional.empty();
    }
    return Optional.of(
        "is not a host name or address (letters, digits, '.', '-', ':' only, not starting with '-')");
  }

  /** A comma-separated list of hosts; empty is an empty list (a foreach over it runs no item). */
  private static Optional<String> hosts(String value) {
    if (value.isBlank()) {
      return Optional.empty();
    }
    for (String host : value.split(",", -1)) {
      Optional<String> problem = host(host.strip());
      if (problem.isPresent()) {
        return Optional.of("holds '" + host.strip() + "', which " + problem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> integer(String value) {
    try {
      Long.parseLong(value);
      return Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.of("must be a whole number");
    }
  }

  private static Optional<String> duration(String value) {
    try {
      Durations.parse(value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a duration; write it like 30s, 5m, 1h30m");
    }
  }
}
