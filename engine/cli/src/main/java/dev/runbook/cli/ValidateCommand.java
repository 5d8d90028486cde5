package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.model.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "validate",
    description = {
      "Check runbooks: structure, references, flow, conditions, actions.",
      "Every problem is printed as file:line:column; exit code 3 when there is any."
    })
final class ValidateCommand extends BaseCommand {

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Files or directories (default: the runbook library).")
  List<Path> paths = new ArrayList<>();

  @Mixin OutputFormat output;

  @Override
  public Integer call() throws Refused {
    Engine.Catalog catalog = session().engine().validate(paths);
    catalog.skipped().forEach(note -> err().println("note: " + note));
    List<Problem> problems = new ArrayList<>();
    int files = 0;
    int libraries = 0;
    int broken = 0;
    for (Engine.Catalog.Entry entry : catalog.entries()) {
      files++;
      libraries += entry.library() != null ? 1 : 0;
      if (!entry.problems().isEmpty()) {
        broken++;
      }
      problems.addAll(entry.problems());
    }
    problems.addAll(catalog.conflicts());
    if (output.json()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Problem p : problems) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("file", p.position().file());
        row.put("line", p.position().line());
        row.put("column", p.position().column());
        row.put("message", p.message());
        rows.add(row);
      }
      printJson(Map.of("files", files, "problems", rows));
    } else {
      problems.forEach(err()::println);
      if (problems.isEmpty()) {
        out()
            .println(
                "checked "
                    + (files == libraries
                        ? Session.count(libraries, "library file")
                        : Session.count(files - libraries, "runbook file")
                            + (libraries > 0
                                ? " and " + Session.count(libraries, "library file")
                                : ""))
                    + ": all valid");
      } else {
        err()
            .println(
                Session.count(problems.size(), "problem")
                    + " in "
                    + Session.count(broken, "file")
                    + " of "
                    + files);
      }
    }
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_RUNBOOK;
  }
}
