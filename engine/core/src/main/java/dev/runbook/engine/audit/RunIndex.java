package dev.runbook.engine.audit;

import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code STATE/run-index.tsv}: one line per run that finished or paused, written by {@link
 * AuditLog} as it writes that event, so {@code audit list} reads one file instead of 10,000 trails.
 * Fields are tab-separated ({@link IndexCodec}), the last a checksum of the rest.
 *
 * <p>It is a cache, never the record: an entry is used only while it is current (its trail is as
 * long as when the entry was written, and not written since) and intact (its checksum matches).
 * Otherwise, and for runs without an entry, the summary is read from the trail. A run that is
 * resumed, or whose trail is cut, grown or rewritten, therefore falls back on its own; so does a
 * run whose entry was edited by hand.
 */
public final class RunIndex {

  /** The first field of every line: the format, so that a later one can be told apart. */
  private static final String VERSION = "v1";

  private static final int FIELDS = 17;

  private static final String FILE = "run-index.tsv";

  /**
   * One run as of its last status event.
   *
   * @param trailBytes the trail's length just after that event
   * @param trailModified the trail's modification time then, in nanoseconds since the epoch
   * @param lines that event's seq
   * @param lastHash the SHA-256 of that event's line (what {@code events.head} then records)
   */
  public record Entry(
      RunSummary summary, long trailBytes, long trailModified, long lines, String lastHash) {

    /**
     * Whether the trail is still as it was when this entry was written: as long, and not written
     * since (one {@code stat}). A resumed, cut, or rewritten trail is not; nor is a copied one
     * whose times were not kept, which only costs reading it.
     */
    public boolean isCurrent(RunDirectory run) throws IOException {
      try {
        BasicFileAttributes trail = Files.readAttributes(run.events(), BasicFileAttributes.class);
        return trail.size() == trailBytes
            && trail.lastModifiedTime().to(TimeUnit.NANOSECONDS) == trailModified;
      } catch (NoSuchFileException e) {
        return false;
      }
    }
  }

  private RunIndex() {}

  public static Path file(Path stateDir) {
    return stateDir.resolve(FILE);
  }

  /**
   * The index of the state directory that holds {@code run}: beside {@code runs/}, not in it,
   * because tools and people take everything in {@code runs/} for a run.
   */
  static Path fileBeside(RunDirectory run) {
    return run.path().getParent().resolveSibling(FILE);
  }

  /**
   * Appends an entry with one write (lines from several processes do not interleave); the last
   * entry for a run is the one that counts.
   */
  static void append(Path indexFile, Entry entry) throws IOException {
    byte[] line = format(entry);
    try (FileChannel index =
        PrivateFiles.open(
            indexFile,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        index.write(buffer);
      }
    }
  }

  static byte[] format(Entry entry) {
    RunSummary s = entry.summary();
    List<String> fields =
        Arrays.asList(
            VERSION,
            IndexCodec.text(s.runId()),
            IndexCodec.text(s.runbook()),
            IndexCodec.text(s.title()),
            IndexCodec.list(s.alarms()),
            IndexCodec.text(s.operator()),
            IndexCodec.text(s.machine()),
            IndexCodec.map(s.params()),
            IndexCodec.instant(s.started()),
            IndexCodec.instant(s.ended()),
            IndexCodec.text(s.status()),
            IndexCodec.text(s.message()),
            Long.toString(entry.trailBytes()),
            Long.toString(entry.trailModified()),
            Long.toString(entry.lines()),
            IndexCodec.text(entry.lastHash()));
    String body = String.join("\t", fields);
    return (body + "\t" + IndexCodec.crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The intact entries by run id, the last one for each run. Lines that are cut, of another format,
   * or whose checksum does not match are left out (their runs are read from their trails). Empty
   * when there is no index.
   */
  public static Map<String, Entry> read(Path stateDir) throws IOException {
    String content;
    try {
      content = new String(TrailFiles.read(file(stateDir)), StandardCharsets.UTF_8);
    } catch (NoSuchFileException | TrailFiles.NotRegularFile e) {
      return Map.of();
    }
    Map<String, Entry> entries = new HashMap<>();
    int start = 0;
    for (int end = content.indexOf('\n'); end >= 0; end = content.indexOf('\n', start)) {
      Entry entry = parse(content.substring(start, end));
      if (entry != null) {
        entries.put(entry.summary().runId(), entry);
      }
      start = end + 1;
    }
    return entries;
  }

  /** The entry on one line (without its newline), or null when it is not intact. */
  static Entry parse(String line) {
    int checkAt = line.lastIndexOf('\t');
    if (checkAt < 0
        || !line.substring(checkAt + 1).equals(IndexCodec.crc(line.substring(0, checkAt)))) {
      return null;
    }
    String[] f = line.split("\t", -1);
    if (f.length != FIELDS || !f[0].equals(VERSION)) {
      return null;
    }
    try {
      RunSummary summary =
          new RunSummary(
              IndexCodec.untext(f[1]),
              IndexCodec.untext(f[2]),
              IndexCodec.untext(f[3]),
              IndexCodec.unlist(f[4]),
              IndexCodec.untext(f[5]),
              IndexCodec.untext(f[6]),
              IndexCodec.unmap(f[7]),
              IndexCodec.uninstant(f[8]),
              IndexCodec.uninstant(f[9]),
              IndexCodec.untext(f[10]),
              IndexCodec.untext(f[11]));
      if (summary.runId() == null || summary.status() == null) {
        return null;
      }
      return new Entry(
          summary,
          Long.parseLong(f[12]),
          Long.parseLong(f[13]),
          Long.parseLong(f[14]),
          IndexCodec.untext(f[15]));
    } catch (IllegalArgumentException | DateTimeException e) {
      return null;
    }
  }
}
