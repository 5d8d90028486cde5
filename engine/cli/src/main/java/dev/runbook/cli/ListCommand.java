package dev.runbook.cli;

import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.ParseResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List every runbook with its alarm ids.")
final class ListCommand extends BaseCommand {

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "Output format (default: text).")
  Format format = Format.TEXT;

  @Override
  public Integer call() {
    List<ParseResult> results = session().library().results();
    session().printSkipped(err());
    if (format == Format.JSON) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ParseResult result : results) {
        if (result.runbook() == null) {
          continue;
        }
        Runbook r = result.runbook();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("title", r.title());
        row.put("alarms", r.alarms());
        row.put("severity", r.severity());
        row.put("file", r.file());
        row.put("problems", result.problems().size());
        rows.add(row);
      }
      printJson(rows);
      return ExitCodes.OK;
    }
    Table table = new Table("ID", "ALARMS", "SEVERITY", "TITLE");
    int broken = 0;
    for (ParseResult result : results) {
      Runbook r = result.runbook();
      if (r == null) {
        broken++;
        continue;
      }
      String title = r.title() == null ? "" : r.title();
      if (!result.problems().isEmpty()) {
        title += "  (has problems: runbook validate " + r.file() + ")";
      }
      table.row(
          r.id(), String.join(", ", r.alarms()), r.severity() == null ? "" : r.severity(), title);
    }
    table.print(out());
    if (broken > 0) {
      err()
          .println(
              Session.count(broken, "file")
                  + " could not be read as runbooks; 'runbook validate' says why");
    }
    return ExitCodes.OK;
  }
}
