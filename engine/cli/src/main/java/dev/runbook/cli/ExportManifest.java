package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code export.jsonl}, what {@code audit export} wrote into a directory: one line per exported run
 * with its line count and the SHA-256 of its last line, where it came from and when. An export has
 * no ledger of runs (the ledger belongs to the state directory of the engine that ran them, and a
 * store has none), so this list is what {@code audit verify} checks the set of exported runs
 * against: a run removed from the export, cut, or added to it afterwards.
 *
 * <p>It is not signed: like an unsigned trail, anyone who can write the directory can rewrite it.
 * The runs' own heads and signatures are checked as usual.
 */
final class ExportManifest {

  static final String FILE = "export.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One exported run. */
  record Entry(String run, long lines, String lastHash, String from, String exported) {}

  private ExportManifest() {}

  static Path of(Path dir) {
    return dir.resolve(FILE);
  }

  /**
   * Whether {@code dir} is an export rather than an engine's state directory: it has an {@code
   * export.jsonl} and none of what only an engine writes (the ledger of runs, the run index). A
   * state directory whose ledger was deleted and an {@code export.jsonl} planted is therefore still
   * checked as a state directory when the engine left its index there, and otherwise said to be an
   * export in every verification's last line.
   */
  static boolean isExport(Path dir) {
    return Files.isRegularFile(of(dir), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(dir.resolve("ledger.jsonl"), LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(dir.resolve("run-index.tsv"), LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether {@code dir} holds what only an engine's state directory holds. */
  static boolean isStateDirectory(Path dir) {
    return Files.exists(dir.resolve("ledger.jsonl"), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve("run-index.tsv"), LinkOption.NOFOLLOW_LINKS);
  }

  /** Adds one line, synced, after the run it names is in place. */
  static void append(Path dir, RunCopy.Copied copied, String from) throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("run", copied.runId());
    line.put("lines", copied.lines());
    line.put("lastHash", copied.lastHash());
    line.put("from", from);
    line.put("exported", Instant.now().toString());
    byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel out =
        FileChannel.open(
            of(dir),
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(false);
    }
  }

  /**
   * The entries, by run (a run exported twice is an error: export refuses to overwrite).
   *
   * @param problems where lines that are not entries are said
   */
  static Map<String, Entry> read(Path dir, List<String> problems) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(of(dir), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      try {
        JsonNode node = JSON.readTree(text);
        Entry entry =
            new Entry(
                node.path("run").asText(null),
                node.path("lines").asLong(-1),
                node.path("lastHash").asText(null),
                node.path("from").asText(""),
                node.path("exported").asText(""));
        if (entry.run() == null || entry.lines() < 0) {
          throw new IOException("no run or line count");
        }
        if (entries.putIfAbsent(entry.run(), entry) != null) {
          problems.add(FILE + " line " + (i + 1) + " names run " + entry.run() + " a second time");
        }
      } catch (IOException e) {
        problems.add(FILE + " line " + (i + 1) + " is not an entry of an export: it was edited");
      }
    }
    return entries;
  }

  /**
   * Checks the exported runs against the list.
   *
   * @param runs the runs being verified
   * @param allRuns whether {@code runs} is every run of the directory (then runs listed but gone
   *     are found too)
   * @return problems by run id ({@code ""} for the export as a whole)
   */
  static Map<String, List<String>> check(
      Path dir, List<RunDirectory> runs, boolean allRuns, Map<String, Entry> entries)
      throws IOException {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (RunDirectory run : runs) {
      Entry entry = entries.get(run.runId());
      if (entry == null) {
        add(
            problems,
            run.runId(),
            "this run is not in " + FILE + ": it was put into the export afterwards");
        continue;
      }
      List<AuditTrail.Line> lines = AuditTrail.read(run).lines();
      if (lines.size() != entry.lines()) {
        add(
            problems,
            run.runId(),
            FILE
                + " says "
                + entry.lines()
                + " lines were exported, the trail has "
                + lines.size()
                + ": it was "
                + (lines.size() < entry.lines() ? "cut" : "added to")
                + " after the export");
      } else if (!lines.isEmpty() && !lines.get(lines.size() - 1).hash().equals(entry.lastHash())) {
        add(
            problems,
            run.runId(),
            "line "
                + lines.size()
                + " is not the line "
                + FILE
                + " records: the trail was rewritten after the export");
      }
    }
    if (allRuns) {
      Set<String> present = Set.copyOf(runs.stream().map(RunDirectory::runId).toList());
      for (Entry entry : entries.values()) {
        if (!present.contains(entry.run())) {
          add(
              problems,
              "",
              "run "
                  + entry.run()
                  + " is in "
                  + FILE
                  + " (exported "
                  + entry.exported()
                  + ") but its directory is gone: it was deleted from the export");
        }
      }
    }
    return problems;
  }

  private static void add(Map<String, List<String>> problems, String run, String problem) {
    problems.computeIfAbsent(run, r -> new ArrayList<>()).add(problem);
  }
}
