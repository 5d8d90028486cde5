package dev.runbook.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -p NAME=VALUE} taken verbatim: everything after the first {@code =} is the value, quotes,
 * spaces, {@code =} and all, with no quote processing (the shell has already done its own). A name
 * given twice takes the last value.
 */
final class ParamArgs {

  private ParamArgs() {}

  static Map<String, String> parse(List<String> args, String flag) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new UserException(
            ExitCodes.USAGE, flag + " " + arg + ": give NAME=VALUE (the value may be empty)");
      }
      // Given twice, the last one counts, as with most commands (a script's default, overridden).
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return values;
  }
}
