package dev.runbook.cli;

import dev.runbook.engine.library.RunbookLibrary;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.parse.ParseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "Output format (default: text).")
  Format format = Format.TEXT;

  @Override
  public Integer call() {
    RunbookLibrary library = paths.isEmpty() ? session().library() : session().load(paths);
    library.skipped().forEach(note -> err().println("note: " + note));
    List<Problem> problems = new ArrayList<>();
    int files = 0;
    int broken = 0;
    for (ParseResult result : library.results()) {
      files++;
      List<Problem> found = session().problems(result);
      if (!found.isEmpty()) {
        broken++;
      }
      problems.addAll(found);
    }
    problems.addAll(library.conflicts());
    if (format == Format.JSON) {
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
        out().println("checked " + Session.count(files, "runbook file") + ": all valid");
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
