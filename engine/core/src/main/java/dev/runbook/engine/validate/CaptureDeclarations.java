package dev.runbook.engine.validate;

import dev.runbook.engine.model.Captures;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Problem;
import java.util.List;

/**
 * Steps that capture the same name ("ask again on the other branch") capture it the same way: the
 * same type, and secret or not, so every reader of {@code ${captured.NAME}} knows what it holds.
 */
final class CaptureDeclarations {

  private CaptureDeclarations() {}

  static void check(Captures captures, List<Problem> problems) {
    captures
        .byName()
        .forEach(
            (name, sites) -> {
              Captures.Site first = sites.get(0);
              for (Captures.Site site : sites.subList(1, sites.size())) {
                if (!sameWay(first.spec(), site.spec())) {
                  problems.add(
                      new Problem(
                          site.spec().position(),
                          "step '"
                              + site.step().id()
                              + "': captures '"
                              + name
                              + "' as "
                              + describe(site.spec())
                              + ", but step '"
                              + first.step().id()
                              + "' (line "
                              + first.spec().position().line()
                              + ") captures it as "
                              + describe(first.spec())
                              + "; capture it the same way, or give it another name"));
                }
              }
            });
  }

  private static boolean sameWay(ParamSpec a, ParamSpec b) {
    return a.type() == b.type() && a.secret() == b.secret();
  }

  private static String describe(ParamSpec spec) {
    return (spec.secret() ? "a secret " : "a ") + spec.type().label();
  }
}
