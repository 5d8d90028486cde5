package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.Refused;
import dev.runbook.engine.model.Runbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", description = "List every runbook with its alarm ids.")
final class ListCommand extends BaseCommand {

  @Mixin OutputFormat output;

  @Override
  public Integer call() throws Refused {
    Engine.Catalog catalog = session().engine().catalog();
    catalog.skipped().forEach(note -> err().println("note: " + note));
    if (output.json()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Engine.Catalog.Entry entry : catalog.entries()) {
        Runbook r = entry.runbook();
        if (r == null) {
          continue; // a library file, or a file that is no runbook
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.id());
        row.put("title", r.title());
        row.put("alarms", r.alarms());
        row.put("severity", r.severity());
        row.put("file", r.file());
        row.put("problems", entry.problems().size());
        rows.add(row);
      }
      printJson(rows);
      return ExitCodes.OK;
    }
    Table table = new Table("ID", "ALARMS", "SEVERITY", "TITLE");
    int broken = 0;
    for (Engine.Catalog.Entry entry : catalog.entries()) {
      Runbook r = entry.runbook();
      if (r == null) {
        broken += entry.library() == null ? 1 : 0; // a library file lists no runbook
        continue;
      }
      String title = r.title() == null ? "" : r.title();
      if (!entry.problems().isEmpty()) {
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
