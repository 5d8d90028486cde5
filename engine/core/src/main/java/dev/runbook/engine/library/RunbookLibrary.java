package dev.runbook.engine.library;

import dev.runbook.engine.audit.Hashes;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.LibraryUse;
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
 * *.yml}. Finds a runbook by its id or one of its alarm ids, and checks that no two runbooks claim
 * the same name.
 *
 * <p>Every file's bytes are read and hashed when the library is opened; a file is parsed only when
 * it is needed, and with a {@link LibraryIndex} only the files answering to the name asked for are:
 * the index says which names each file's bytes answer to. A file is checked (parse problems, then
 * the validator through the {@link Checker}) only when the index does not already know that exactly
 * these bytes were valid for this build.
 */
public final class RunbookLibrary {

  /** Every problem of a parsed file: its parse problems, then what the validator finds. */
  @FunctionalInterface
  public interface Checker {
    List<Problem> problems(ParseResult result);

    /** Parse problems only. */
    Checker PARSE_ONLY = ParseResult::problems;
  }

  /** A file as read and checked: a runbook (linked to the libraries it uses), or a library. */
  public record Checked(ParseResult result, List<Problem> problems) {
    public Checked {
      problems = List.copyOf(problems);
    }

    public Runbook runbook() {
      return result.runbook();
    }

    /** The library the file holds, when it is a library file; else null. */
    public Library library() {
      return result.library();
    }

    /** The file as messages name it. */
    public String file() {
      if (result.runbook() != null) {
        return result.runbook().file();
      }
      if (result.library() != null) {
        return result.library().file();
      }
      return result.problems().isEmpty() ? "?" : result.problems().get(0).position().file();
    }
  }

  /** One file under the roots: its bytes (or why they could not be read) and their digest. */
  private record Source(Path path, String label, boolean named, byte[] bytes, String digest) {}

  private final List<Source> sources;
  private final RunbookParser parser;
  private final Checker checker;
  private final LibraryIndex index;
  private final Map<Source, ParseResult> parsed = new LinkedHashMap<>();
  private final Map<Source, Checked> checked = new LinkedHashMap<>();

  /** Library files beside a runbook but not under the roots (validate FILE), by directory. */
  private final Map<Path, List<Source>> besides = new LinkedHashMap<>();

  /** The file each library linked so far was read from, by its label, to check it on its own. */
  private final Map<String, Source> libraryOrigins = new LinkedHashMap<>();

  private RunbookLibrary(
      List<Source> sources, RunbookParser parser, Checker checker, LibraryIndex index) {
    this.sources = List.copyOf(sources);
    this.parser = parser;
    this.checker = checker;
    this.index = index;
  }

  /**
   * Reads every runbook file under the given paths (files or directories), in path order, and
   * parses them all, without an index. A YAML file found in a directory that is not a runbook (an
   * inventory beside the runbooks) is skipped with a note; one named on its own is reported. One
   * bad file never stops the others loading.
   */
  public static RunbookLibrary load(List<Path> roots, RunbookParser parser) {
    RunbookLibrary library = open(roots, parser, Checker.PARSE_ONLY, LibraryIndex.none());
    library.results();
    return library;
  }

  /**
   * The runbook files under the given paths, read and hashed but not parsed: they are parsed and
   * checked as names are looked up, using what {@code index} knows.
   */
  public static RunbookLibrary open(
      List<Path> roots, RunbookParser parser, Checker checker, LibraryIndex index) {
    Set<Path> named = new LinkedHashSet<>();
    roots.stream().filter(Files::isRegularFile).forEach(named::add);
    List<Source> sources = new ArrayList<>();
    for (Path file : files(roots)) {
      sources.add(source(file, named.contains(file)));
    }
    return new RunbookLibrary(sources, parser, checker, index);
  }

  private static Source source(Path file, boolean named) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | OutOfMemoryError e) {
      bytes = null;
    }
    String digest = bytes == null ? "" : Hashes.sha256(bytes);
    return new Source(file, display(file), named, bytes, digest);
  }

  private ParseResult parsed(Source source) {
    return parsed.computeIfAbsent(source, this::parse);
  }

  private ParseResult parse(Source source) {
    if (source.bytes() == null) {
      return unreadable(source.path(), "cannot read it");
    }
    try {
      return parser.parse(source.label(), source.bytes());
    } catch (StackOverflowError | RuntimeException e) {
      return unreadable(
          source.path(), "cannot be read as a runbook (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** What the index knows of a file, learning it (by parsing) when it knows nothing. */
  private LibraryIndex.Entry entry(Source source) {
    Optional<LibraryIndex.Entry> known =
        source.bytes() == null ? Optional.empty() : index.get(source.digest());
    if (known.isPresent()) {
      return known.get();
    }
    ParseResult result = parsed(source);
    LibraryIndex.Entry entry;
    if (result.notARunbook()) {
      entry = new LibraryIndex.Entry(LibraryIndex.Kind.NOT_A_RUNBOOK, false, List.of());
    } else if (result.isLibrary()) {
      entry =
          new LibraryIndex.Entry(LibraryIndex.Kind.LIBRARY, false, List.of(result.library().id()));
    } else if (result.runbook() == null) {
      entry = new LibraryIndex.Entry(LibraryIndex.Kind.BROKEN, false, List.of());
    } else {
      List<String> names = new ArrayList<>();
      names.add(result.runbook().id());
      names.addAll(result.runbook().alarms());
      entry = new LibraryIndex.Entry(LibraryIndex.Kind.RUNBOOK, false, names);
    }
    if (source.bytes() != null) {
      index.put(source.digest(), entry);
    }
    return entry;
  }

  private boolean listed(Source source) {
    return source.named() || entry(source).kind() != LibraryIndex.Kind.NOT_A_RUNBOOK;
  }

  private Checked check(Source source) {
    // Not computeIfAbsent: checking a runbook checks the library files it uses, which adds them.
    Checked known = checked.get(source);
    if (known == null) {
      known = checkNow(source);
      checked.put(source, known);
    }
    return known;
  }

  /**
   * A runbook is linked to the libraries it uses, then checked, unless the index knows these bytes
   * were valid with exactly these library files; a library file is checked on its own.
   */
  private Checked checkNow(Source s) {
    ParseResult result = parsed(s);
    LibraryIndex.Entry entry = entry(s);
    List<Problem> linking = List.of();
    Map<String, String> uses = Map.of();
    if (result.runbook() != null) {
      Linker.Linked linked = Linker.link(result.runbook(), libraries(s));
      linking = new ArrayList<>(linked.problems());
      linking.addAll(brokenLibraries(linked.runbook()));
      uses = digests(linked.runbook());
      result = new ParseResult(linked.runbook(), result.problems(), result.notARunbook());
    }
    boolean readable = result.runbook() != null || result.library() != null;
    if (entry.valid()
        && readable
        && result.problems().isEmpty()
        && linking.isEmpty()
        && entry.uses().equals(uses)) {
      return new Checked(result, List.of());
    }
    List<Problem> problems = new ArrayList<>(linking);
    for (Problem problem : checker.problems(result)) {
      if (!problems.contains(problem)) {
        problems.add(problem);
      }
    }
    problems.sort(Problem.BY_POSITION);
    if (problems.isEmpty() && readable && s.bytes() != null) {
      index.put(s.digest(), new LibraryIndex.Entry(entry.kind(), true, entry.names(), uses));
    }
    return new Checked(result, problems);
  }

  /**
   * A use of a library file that has problems of its own: they are reported at the library's own
   * lines (it is checked as a file too), and the runbook is not valid while they last, so that no
   * run calls a broken procedure.
   */
  private List<Problem> brokenLibraries(Runbook runbook) {
    List<Problem> problems = new ArrayList<>();
    for (LibraryUse use : runbook.uses()) {
      Source origin = use.linked() ? libraryOrigins.get(use.file()) : null;
      if (origin == null) {
        continue;
      }
      List<Problem> own = check(origin).problems();
      if (!own.isEmpty()) {
        Problem first = own.get(0);
        problems.add(
            new Problem(
                use.position(),
                "uses: library '"
                    + use.library()
                    + "' has "
                    + (own.size() == 1 ? "1 problem" : own.size() + " problems")
                    + " of its own, first "
                    + first
                    + "; fix the library"));
      }
    }
    return problems;
  }

  /** Each linked library's name and the digest of the file that answered. */
  private static Map<String, String> digests(Runbook runbook) {
    Map<String, String> digests = new LinkedHashMap<>();
    for (LibraryUse use : runbook.uses()) {
      if (use.linked()) {
        digests.put(use.library(), use.contentHash());
      }
    }
    return digests;
  }

  /**
   * The libraries a runbook may use: the library files under the roots, else those in the runbook's
   * own directory (for {@code runbook validate runbooks/mrs/ALM-12012.yaml}).
   */
  private Linker.Libraries libraries(Source runbook) {
    return new Linker.Libraries() {
      @Override
      public List<Library> find(String name) {
        List<Library> found = librariesIn(sources, name);
        return found.isEmpty() ? librariesIn(besides(runbook), name) : found;
      }

      @Override
      public Set<String> names() {
        // The names a use may have meant: those under the roots, and (for validate FILE) those
        // beside the runbook, where find() looks too.
        Set<String> names = new LinkedHashSet<>();
        List<Source> candidates = new ArrayList<>(sources);
        candidates.addAll(besides(runbook));
        for (Source source : candidates) {
          if (entry(source).kind() == LibraryIndex.Kind.LIBRARY) {
            names.addAll(entry(source).names());
          }
        }
        return names;
      }
    };
  }

  private List<Library> librariesIn(List<Source> files, String name) {
    List<Library> found = new ArrayList<>();
    for (Source source : files) {
      LibraryIndex.Entry entry = entry(source);
      if (entry.kind() == LibraryIndex.Kind.LIBRARY && entry.names().contains(name)) {
        Library library = parsed(source).library();
        if (library != null && library.id().equals(name)) {
          libraryOrigins.put(library.file(), source);
          found.add(library);
        }
      }
    }
    return found;
  }

  /** The YAML files in the runbook's directory that are not under the roots, read once. */
  private List<Source> besides(Source runbook) {
    Path dir = runbook.path().toAbsolutePath().getParent();
    if (dir == null) {
      return List.of();
    }
    return besides.computeIfAbsent(
        dir,
        d -> {
          Set<Path> known = new LinkedHashSet<>();
          sources.forEach(s -> known.add(s.path().toAbsolutePath().normalize()));
          List<Source> found = new ArrayList<>();
          try (Stream<Path> list = Files.list(d)) {
            list.filter(Files::isRegularFile)
                .filter(RunbookLibrary::isRunbookFile)
                .filter(p -> !known.contains(p.toAbsolutePath().normalize()))
                .sorted()
                .forEach(p -> found.add(source(p, false)));
          } catch (IOException | UncheckedIOException e) {
            return List.of();
          }
          return found;
        });
  }

  /** Every library file of this name under the roots: more than one is a conflict. */
  public List<Library> libraries(String name) {
    return librariesIn(sources, name);
  }

  /**
   * The library of this name whose file has exactly these bytes (by SHA-256), among the library
   * files under the roots: a resumed run uses the library its run started with.
   */
  public Optional<Library> library(String name, String contentHash) {
    return sources.stream()
        .filter(s -> s.digest().equals(contentHash))
        .map(this::parsed)
        .map(ParseResult::library)
        .filter(l -> l != null && l.id().equals(name))
        .findFirst();
  }

  /** The files parsed so far, as messages name them: with a warm index, only those asked for. */
  public List<String> parsedFiles() {
    return parsed.keySet().stream().map(Source::label).toList();
  }

  /** Whether no file under the roots is a runbook file (YAML of other kinds aside). */
  public boolean isEmpty() {
    return sources.stream().noneMatch(this::listed);
  }

  /** Writes what was learnt into the index (see {@link LibraryIndex#save()}). */
  public void saveIndex() {
    index.save();
  }

  /** Every runbook file, parsed and checked, in path order. */
  public List<Checked> checkedAll() {
    return sources.stream().filter(this::listed).map(this::check).toList();
  }

  /** Every runbook file answering to a name, parsed and checked: more than one is a conflict. */
  public List<Checked> checkedAnswering(String name) {
    return sources.stream()
        .filter(s -> entry(s).kind() == LibraryIndex.Kind.RUNBOOK && entry(s).answersTo(name))
        .map(this::check)
        .filter(c -> c.runbook() != null && c.runbook().answersTo(name))
        .toList();
  }

  private static ParseResult unreadable(Path file, String why) {
    return new ParseResult(null, List.of(new Problem(Position.start(display(file)), why)));
  }

  /** The YAML files that were skipped because they are not runbooks, each with why. */
  public List<String> skipped() {
    return sources.stream()
        .filter(s -> !listed(s))
        .map(s -> s.label() + ": skipped, not a runbook (no 'runbook:' at its top level)")
        .toList();
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

  /** Every runbook file, parsed (not checked), in path order. */
  public List<ParseResult> results() {
    return sources.stream().filter(this::listed).map(this::parsed).toList();
  }

  /** The runbooks that parsed without any problem. */
  public List<Runbook> runbooks() {
    return results().stream().filter(ParseResult::ok).map(ParseResult::runbook).toList();
  }

  /** Every runbook the files hold, even those with problems. */
  public List<Runbook> allRunbooks() {
    return results().stream().map(ParseResult::runbook).filter(r -> r != null).toList();
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
    return checkedAnswering(name).stream().map(Checked::result).toList();
  }

  /** Names a user might have meant, for "no runbook 'ALM-4565' (did you mean …?)". */
  public String hint(String name) {
    Set<String> names = new LinkedHashSet<>();
    for (Source source : sources) {
      names.addAll(entry(source).names());
    }
    return Suggestions.hint(name, names);
  }

  /**
   * Two runbooks answering to one name ({@code runbook run} could not choose between them), or two
   * library files of one name.
   */
  public List<Problem> conflicts() {
    Map<String, Runbook> owners = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Library> libraries = new LinkedHashMap<>();
    for (ParseResult result : results()) {
      Library library = result.library();
      if (library == null) {
        continue;
      }
      Library owner = libraries.putIfAbsent(library.id(), library);
      if (owner != null) {
        problems.add(
            new Problem(
                Position.start(library.file()),
                "library '"
                    + library.id()
                    + "' is in both "
                    + owner.file()
                    + " and "
                    + library.file()
                    + "; a library name must select one file"));
      }
    }
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
