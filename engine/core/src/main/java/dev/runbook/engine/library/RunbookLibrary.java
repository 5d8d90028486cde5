package dev.runbook.engine.library;

import dev.runbook.engine.model.Position;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.parse.Suggestions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runbooks found under some directories (or named files): every {@code *.yaml} and {@code
 * *.yml}, parsed once. Finds a runbook by its id or one of its alarm ids, and checks that no two
 * runbooks claim the same name.
 */
public final class RunbookLibrary {

  private final List<ParseResult> results;
  private final List<String> skipped;

  private RunbookLibrary(List<ParseResult> results, List<String> skipped) {
    this.results = List.copyOf(results);
    this.skipped = List.copyOf(skipped);
  }

  /**
   * Reads every runbook file under the given paths (files or directories), in path order. A YAML
   * file found in a directory that is not a runbook (an inventory beside the runbooks) is skipped
   * with a note; one named on its own is reported. One bad file never stops the others loading.
   */
  public static RunbookLibrary load(List<Path> roots, RunbookParser parser) {
    List<ParseResult> results = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Set<Path> named = new LinkedHashSet<>();
    roots.stream().filter(Files::isRegularFile).forEach(named::add);
    for (Path file : files(roots)) {
      ParseResult result;
      try {
        result = parser.parse(file, display(file));
      } catch (IOException e) {
        result = unreadable(file, "cannot read: " + e.getMessage());
      } catch (StackOverflowError | RuntimeException e) {
        result =
            unreadable(file, "cannot be read as a runbook (" + e.getClass().getSimpleName() + ")");
      }
      if (result.notARunbook() && !named.contains(file)) {
        skipped.add(display(file) + ": skipped, not a runbook (no 'runbook:' at its top level)");
      } else {
        results.add(result);
      }
    }
    return new RunbookLibrary(results, skipped);
  }

  private static ParseResult unreadable(Path file, String why) {
    return new ParseResult(null, List.of(new Problem(Position.start(display(file)), why)));
  }

  /** The YAML files that were skipped because they are not runbooks, each with why. */
  public List<String> skipped() {
    return skipped;
  }

  /** The runbook files under the roots, sorted, without reading them. */
  public static List<Path> files(List<Path> roots) {
    Set<Path> files = new LinkedHashSet<>();
    for (Path root : roots) {
      if (Files.isRegularFile(root)) {
        files.add(root);
        continue;
      }
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile) // never a FIFO or a device: reading one would hang
            .filter(RunbookLibrary::isRunbookFile)
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(files);
  }

  private static boolean isRunbookFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** A path as messages show it: relative to the working directory when inside it. */
  static String display(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path absolute = file.toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }

  public List<ParseResult> results() {
    return results;
  }

  /** The runbooks that parsed without any problem. */
  public List<Runbook> runbooks() {
    return results.stream().filter(ParseResult::ok).map(ParseResult::runbook).toList();
  }

  /** Every runbook the files hold, even those with problems. */
  public List<Runbook> allRunbooks() {
    return results.stream().map(ParseResult::runbook).filter(r -> r != null).toList();
  }

  /** The runbook answering to an id or alarm id, among all parsed runbooks. */
  public Optional<Runbook> find(String name) {
    return findResult(name).map(ParseResult::runbook);
  }

  /** The parse result (runbook and parse problems) of the runbook answering to a name. */
  public Optional<ParseResult> findResult(String name) {
    return findAll(name).stream().findFirst();
  }

  /** Every runbook answering to a name: more than one is a conflict nothing may run. */
  public List<ParseResult> findAll(String name) {
    return results.stream()
        .filter(r -> r.runbook() != null && r.runbook().answersTo(name))
        .toList();
  }

  /** Names a user might have meant, for "no runbook 'ALM-4565' (did you mean …?)". */
  public String hint(String name) {
    Set<String> names = new LinkedHashSet<>();
    for (Runbook runbook : allRunbooks()) {
      names.add(runbook.id());
      names.addAll(runbook.alarms());
    }
    return Suggestions.hint(name, names);
  }

  /** Two runbooks answering to one name: `runbook run` could not choose between them. */
  public List<Problem> conflicts() {
    Map<String, Runbook> owners = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Runbook runbook : allRunbooks()) {
      Set<String> names = new LinkedHashSet<>();
      names.add(runbook.id().toLowerCase(Locale.ROOT));
      runbook.alarms().forEach(a -> names.add(a.toLowerCase(Locale.ROOT)));
      for (String name : names) {
        Runbook owner = owners.putIfAbsent(name, runbook);
        if (owner != null && owner != runbook) {
          problems.add(
              new Problem(
                  Position.start(runbook.file()),
                  "'"
                      + name
                      + "' is claimed by both "
                      + owner.file()
                      + " and "
                      + runbook.file()
                      + "; a runbook id or alarm id must select one runbook"));
        }
      }
    }
    return problems;
  }
}
