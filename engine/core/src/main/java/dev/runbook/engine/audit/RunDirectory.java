package dev.runbook.engine.audit;

import dev.runbook.engine.state.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Where one run keeps its record: {@code STATE/runs/RUN_ID/} with {@code events.jsonl}, {@code
 * events.head} and {@code outputs/}. Run ids sort by start time: {@code 20261122-031502-4f2a9c0d}.
 */
public record RunDirectory(String runId, Path path) {

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public static Path runsRoot(Path stateDir) {
    return stateDir.resolve("runs");
  }

  /** Whether a run id is taken elsewhere (in a shared store other machines write to). */
  @FunctionalInterface
  public interface IdsElsewhere {
    boolean taken(String runId) throws IOException;

    IdsElsewhere NONE = id -> false;
  }

  /** A new, empty run directory with a fresh id. */
  public static RunDirectory create(Path stateDir, Clock clock) throws IOException {
    return create(stateDir, clock, IdsElsewhere.NONE);
  }

  /**
   * A new, empty run directory with an id neither this state directory nor {@code elsewhere} has.
   * Four random bytes after the second: several machines sharing a store draw ids at once.
   */
  public static RunDirectory create(Path stateDir, Clock clock, IdsElsewhere elsewhere)
      throws IOException {
    Path runs = runsRoot(stateDir);
    PrivateFiles.createDirectories(runs);
    for (int attempt = 0; attempt < 100; attempt++) {
      byte[] random = new byte[4];
      ThreadLocalRandom.current().nextBytes(random);
      String id = ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
      if (elsewhere.taken(id)) {
        continue;
      }
      Path dir = runs.resolve(id);
      try {
        PrivateFiles.createDirectory(dir, false);
        PrivateFiles.createDirectory(dir.resolve("outputs"), false);
        return new RunDirectory(id, dir);
      } catch (FileAlreadyExistsException taken) {
        // another run started in the same second with the same suffix: draw again
      }
    }
    throw new IOException("could not create a unique run directory under " + runs);
  }

  /** What a run id (or a prefix of one) may look like: never a path, never empty. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

  /** Whether {@code text} can name a run (a whole id or a prefix of one). */
  public static boolean isValidId(String text) {
    return text != null && ID.matcher(text).matches();
  }

  /**
   * An existing run by id (or unique id prefix).
   *
   * @throws IllegalArgumentException when {@code runId} is empty or could not be a run id (a path,
   *     {@code ..}, a blank)
   */
  public static RunDirectory find(Path stateDir, String runId) throws IOException {
    if (!isValidId(runId)) {
      throw new IllegalArgumentException(
          "'"
              + runId
              + "' is not a run id (run ids look like 20261122-031502-4f2a9c0d; 'runbook audit list'"
              + " shows them)");
    }
    Path runs = runsRoot(stateDir);
    Path exact = runs.resolve(runId);
    if (Files.isDirectory(exact, LinkOption.NOFOLLOW_LINKS)) {
      return new RunDirectory(runId, exact);
    }
    if (Files.isDirectory(runs)) {
      try (var stream = Files.list(runs)) {
        var matches = stream.filter(p -> p.getFileName().toString().startsWith(runId)).toList();
        if (matches.size() == 1) {
          return new RunDirectory(matches.get(0).getFileName().toString(), matches.get(0));
        }
        if (matches.size() > 1) {
          throw new IOException(
              "'" + runId + "' matches " + matches.size() + " runs; give more of the id");
        }
      }
    }
    throw new NoSuchFileException(
        "no run '" + runId + "' in " + runs + " ('runbook audit list' shows the runs)");
  }

  public Path events() {
    return path.resolve("events.jsonl");
  }

  public Path head() {
    return path.resolve("events.head");
  }

  /**
   * The lock file the engine holds exclusively while it runs or resumes this run ({@link
   * RunActivity}).
   */
  public Path runLock() {
    return path.resolve("run.lock");
  }

  public Path outputs() {
    return path.resolve("outputs");
  }

  /**
   * A file of the run as a trail line names it ({@code outputs/NAME}), or empty when the name leads
   * anywhere else (the trail's own files, another directory, outside the run): only the engine's
   * step outputs are files a store or a copy may write into a run.
   */
  public Optional<Path> outputFile(String name) {
    Path file = path.resolve(name).normalize();
    return outputs().equals(file.getParent()) ? Optional.of(file) : Optional.empty();
  }
}
