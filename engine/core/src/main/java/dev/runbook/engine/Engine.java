package dev.runbook.engine;

import dev.runbook.api.ActionDescriptor;
import dev.runbook.api.Alarm;
import dev.runbook.api.Plugin;
import dev.runbook.api.SettingException;
import dev.runbook.api.TargetKind;
import dev.runbook.api.TransportProvider;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.SigningKey;
import dev.runbook.engine.audit.TrailMirror;
import dev.runbook.engine.execute.LockHeldException;
import dev.runbook.engine.execute.RunEngine;
import dev.runbook.engine.execute.RunOptions;
import dev.runbook.engine.expr.Expressions;
import dev.runbook.engine.expr.InputResolver;
import dev.runbook.engine.graph.GraphExport;
import dev.runbook.engine.library.CodeVersion;
import dev.runbook.engine.library.Inventory;
import dev.runbook.engine.library.LibraryIndex;
import dev.runbook.engine.library.Linker;
import dev.runbook.engine.library.RunbookLibrary;
import dev.runbook.engine.model.Library;
import dev.runbook.engine.model.ParamSpec;
import dev.runbook.engine.model.Problem;
import dev.runbook.engine.model.Runbook;
import dev.runbook.engine.model.Step;
import dev.runbook.engine.model.TargetSpec;
import dev.runbook.engine.parse.ParseResult;
import dev.runbook.engine.parse.RunbookParser;
import dev.runbook.engine.parse.Suggestions;
import dev.runbook.engine.plan.Planner;
import dev.runbook.engine.plugin.PluginRegistry;
import dev.runbook.engine.store.DirectoryStore;
import dev.runbook.engine.store.Store;
import dev.runbook.engine.store.StoreLock;
import dev.runbook.engine.store.StoreMirror;
import dev.runbook.engine.store.StoreProvider;
import dev.runbook.engine.store.StoreUrl;
import dev.runbook.engine.store.TrailFence;
import dev.runbook.engine.store.TrailPull;
import dev.runbook.engine.validate.RunbookValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The engine, whole, for any caller: the command line, the alarm server, a test. It finds runbooks
 * by id or alarm id, checks them and the values a run is given, plans (the dry-run), runs, and
 * resumes; every refusal is a {@link Refused} with a typed reason. Callers add no rules of their
 * own: a value, an answer or a setting that the engine does not refuse, no caller needs to.
 *
 * <p>Built once per command; parts are made on first use, so a command pays only for what it needs
 * (no CEL for {@code list}, no plugins for {@code --help}). Not thread-safe while its parts are
 * being made; runs may then go on from several threads.
 */
public final class Engine {

  private final List<Path> runbookPaths;
  private final Path stateDir;
  private final Path inventoryFile;
  private final ClassLoader loader;
  private final List<Plugin> givenPlugins;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Supplier<String> machine;
  private final String engineVersion;
  private final boolean fsync;
  private final boolean writesNothing;
  private final StoreUrl storeUrl;
  private Store store;
  private volatile TrailFence trailFence = TrailFence.NONE;
  private volatile boolean locksTakenByCaller;

  /**
   * How long a run waits for a shared store out of reach before a trail write fails (the run then
   * stops where it is; its lease lapses and the alert is taken over).
   */
  private static final Duration STORE_PATIENCE = Duration.ofSeconds(60);

  private PluginRegistry plugins;
  private RunbookParser parser;
  private RunbookValidator validator;
  private Expressions expressions;
  private RunbookLibrary library;
  private Inventory inventory;

  private Engine(Builder builder) {
    this.runbookPaths = List.copyOf(builder.runbookPaths);
    this.stateDir = builder.stateDir;
    this.inventoryFile = builder.inventory;
    this.loader = builder.loader;
    this.givenPlugins = builder.givenPlugins;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.machine = builder.machine;
    this.engineVersion = builder.engineVersion;
    this.fsync = builder.fsync;
    this.writesNothing = builder.writesNothing;
    this.storeUrl = builder.storeUrl;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How an engine is made: where runbooks and runs are, and what it is injected with. */
  public static final class Builder {
    private List<Path> runbookPaths = List.of();
    private Path stateDir;
    private Path inventory;
    private ClassLoader loader = Engine.class.getClassLoader();
    private List<Plugin> givenPlugins;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.REAL;
    private Supplier<String> machine = () -> "unknown";
    private String engineVersion = "unknown";
    private boolean fsync = true;
    private boolean writesNothing;
    private StoreUrl storeUrl;

    public Builder runbooks(List<Path> paths) {
      this.runbookPaths = List.copyOf(paths);
      return this;
    }

    /** Where runs, their trails and locks are kept. */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** The site's hosts and groups (YAML), or null for none. */
    public Builder inventory(Path file) {
      this.inventory = file;
      return this;
    }

    /** Where plugins are found (ServiceLoader). */
    public Builder plugins(ClassLoader classLoader) {
      this.loader = classLoader;
      return this;
    }

    /**
     * Exactly these plugins instead of those the class loader finds (a test's fake plugin, an
     * embedding that builds its own); checked as installed ones are.
     */
    public Builder plugins(List<Plugin> given) {
      this.givenPlugins = List.copyOf(given);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Builder sleeper(Sleeper value) {
      this.sleeper = value;
      return this;
    }

    /**
     * The machine's name and the engine's version, recorded in every trail. The name is looked up
     * only when a run starts: resolving it may touch the network, which a dry run must not.
     */
    public Builder identity(Supplier<String> machineName, String version) {
      this.machine = machineName;
      this.engineVersion = version;
      return this;
    }

    /** False only to measure what syncing the trail costs. */
    public Builder fsync(boolean value) {
      this.fsync = value;
      return this;
    }

    /**
     * An engine that writes nothing at all: no run, and not even the library index (a dry run). It
     * refuses {@link #run} and {@link #resume}.
     */
    public Builder writesNothing() {
      this.writesNothing = true;
      return this;
    }

    /**
     * A shared store ({@code --store URL}) instead of the state directory, or null for the state
     * directory.
     */
    public Builder store(StoreUrl url) {
      this.storeUrl = url;
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }

  // ---- the library ------------------------------------------------------------------------------

  /**
   * Every runbook file of the library, parsed and validated: for {@code list}.
   *
   * @param entries each file's runbook (null when it could not be read) and problems
   * @param skipped YAML files that are not runbooks, each with why
   * @param conflicts names claimed by two runbooks
   */
  public record Catalog(List<Entry> entries, List<String> skipped, List<Problem> conflicts) {

    /**
     * One runbook file, or library file.
     *
     * @param runbook the runbook, linked to the libraries it uses; null for a library file or a
     *     file that could not be read
     * @param library the library a library file holds, else null
     */
    public record Entry(String file, Runbook runbook, List<Problem> problems, Library library) {
      public Entry(String file, Runbook runbook, List<Problem> problems) {
        this(file, runbook, problems, null);
      }

      public boolean valid() {
        return (runbook != null || library != null) && problems.isEmpty();
      }
    }
  }

  public Catalog catalog() throws Refused {
    return catalogOf(library());
  }

  /**
   * The runbooks under {@code paths} (files or directories), each checked: for {@code validate}.
   * Empty paths mean the library.
   */
  public Catalog validate(List<Path> paths) throws Refused {
    if (paths.isEmpty()) {
      return catalog();
    }
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new Refused(Refused.Reason.USAGE, "no such file or directory: " + path);
      }
    }
    return catalogOf(open(paths));
  }

  private Catalog catalogOf(RunbookLibrary loaded) throws Refused {
    List<Catalog.Entry> entries = new ArrayList<>();
    for (RunbookLibrary.Checked checked : loaded.checkedAll()) {
      entries.add(
          new Catalog.Entry(
              checked.file(), checked.runbook(), checked.problems(), checked.library()));
    }
    loaded.saveIndex();
    return new Catalog(entries, loaded.skipped(), loaded.conflicts());
  }

  /** Every problem of a runbook given as text (an imported one, before it is written). */
  public List<Problem> check(String label, byte[] content) throws Refused {
    return check(label, content, Map.of());
  }

  /**
   * Every problem of a runbook (or library) given as text, before it is written: the libraries it
   * uses are looked up among {@code companions} (files written with it, by label), then in the
   * runbook library.
   */
  public List<Problem> check(String label, byte[] content, Map<String, byte[]> companions)
      throws Refused {
    ParseResult result = parser().parse(label, content);
    if (result.runbook() == null || result.runbook().uses().isEmpty()) {
      return problems(result);
    }
    List<Library> given = new ArrayList<>();
    for (Map.Entry<String, byte[]> companion : companions.entrySet()) {
      Library library = parser().parse(companion.getKey(), companion.getValue()).library();
      if (library != null) {
        given.add(library);
      }
    }
    Linker.Linked linked = Linker.link(result.runbook(), librariesWith(given));
    List<Problem> problems = new ArrayList<>(linked.problems());
    problems.addAll(
        problems(new ParseResult(linked.runbook(), result.problems(), result.notARunbook())));
    problems.sort(Problem.BY_POSITION);
    return problems;
  }

  /** The libraries {@code given}, then the runbook library's (when there is one). */
  private Linker.Libraries librariesWith(List<Library> given) {
    return new Linker.Libraries() {
      @Override
      public List<Library> find(String name) {
        List<Library> found = given.stream().filter(l -> l.id().equals(name)).toList();
        if (!found.isEmpty() || runbookPaths.isEmpty()) {
          return found;
        }
        try {
          return library().libraries(name);
        } catch (Refused e) {
          return List.of();
        }
      }

      @Override
      public Set<String> names() {
        Set<String> names = new TreeSet<>();
        given.forEach(l -> names.add(l.id()));
        return names;
      }
    };
  }

  /** The valid runbook answering to a runbook id or alarm id. */
  public Runbook runbook(String name) throws Refused {
    return valid(found(name));
  }

  /**
   * The runbook answering to a name as it was read, problems or not (for {@code show}); refused
   * only when no runbook, or more than one, answers.
   */
  public Catalog.Entry find(String name) throws Refused {
    RunbookLibrary.Checked checked = found(name);
    return new Catalog.Entry(checked.file(), checked.runbook(), checked.problems());
  }

  private RunbookLibrary.Checked found(String name) throws Refused {
    List<RunbookLibrary.Checked> found = library().checkedAnswering(name);
    library().saveIndex();
    if (found.size() > 1) {
      throw new Refused(
          Refused.Reason.AMBIGUOUS_RUNBOOK,
          "'"
              + name
              + "' is claimed by more than one runbook: "
              + String.join(" and ", found.stream().map(RunbookLibrary.Checked::file).toList())
              + "; a runbook id or alarm id must select one runbook (runbook validate shows"
              + " every conflict)");
    }
    if (found.isEmpty()) {
      throw new Refused(
          Refused.Reason.UNKNOWN_RUNBOOK,
          "no runbook answers to '"
              + name
              + "'"
              + library().hint(name)
              + "; 'runbook list' shows every runbook and its alarm ids");
    }
    return found.get(0);
  }

  private Runbook valid(ParseResult result) throws Refused {
    return valid(new RunbookLibrary.Checked(result, problems(result)));
  }

  private Runbook valid(RunbookLibrary.Checked checked) throws Refused {
    ParseResult result = checked.result();
    List<Problem> problems = checked.problems();
    if (!problems.isEmpty()) {
      int n = problems.size();
      throw new Refused(
          Refused.Reason.INVALID_RUNBOOK,
          result.runbook().file()
              + " has "
              + n
              + (n == 1 ? " problem; fix it" : " problems; fix them")
              + " first (runbook validate "
              + result.runbook().file()
              + ")",
          problems);
    }
    return result.runbook();
  }

  /** A parsed file's problems: parse problems, then (when it parsed) validation problems. */
  private List<Problem> problems(ParseResult result) throws Refused {
    return problems(result, validator());
  }

  private static List<Problem> problems(ParseResult result, RunbookValidator validator) {
    List<Problem> problems = new ArrayList<>(result.problems());
    List<Problem> found = List.of();
    if (result.runbook() != null) {
      found = validator.validate(result.runbook());
    } else if (result.library() != null) {
      found = validator.validate(result.library());
    }
    for (Problem problem : found) {
      if (!problems.contains(problem)) {
        problems.add(problem);
      }
    }
    problems.sort(Problem.BY_POSITION);
    return problems;
  }

  /** The step graph of a runbook: {@code mermaid} or {@code dot}. */
  public String graph(String name, String format) throws Refused {
    Runbook runbook = runbook(name);
    return switch (format) {
      case "mermaid" -> GraphExport.mermaid(runbook);
      case "dot" -> GraphExport.dot(runbook);
      default -> throw new Refused(Refused.Reason.USAGE, "no graph format '" + format + "'");
    };
  }

  /**
   * What is installed: each plugin's id with the actions and transports it offers.
   *
   * @param actions by name
   * @param transports the target kinds a transport serves
   * @param targetKinds how targets may be declared, by kind
   * @param plugins plugin ids
   */
  public record Installed(
      Map<String, ActionDescriptor> actions,
      Set<String> transports,
      Map<String, TargetKind> targetKinds,
      List<String> plugins) {}

  public Installed installed() throws Refused {
    PluginRegistry registry = plugins();
    return new Installed(
        registry.descriptors(),
        new TreeSet<>(registry.transportKinds()),
        registry.targetKinds(),
        registry.plugins().stream().map(Plugin::id).toList());
  }

  // ---- values -----------------------------------------------------------------------------------

  /**
   * The values a run of {@code runbook} would take, checked; {@code requireAll} false for a
   * dry-run, which notes what is missing instead.
   */
  public ParameterCheck checkParameters(
      Runbook runbook, Map<String, String> given, boolean requireAll) throws Refused {
    ParameterCheck check = ParameterCheck.of(runbook, given, inventory(), requireAll);
    if (!check.problems().isEmpty()) {
      throw new Refused(Refused.Reason.PARAMETERS, String.join("\n", check.problems()));
    }
    if (requireAll) {
      // a real run (or an alert that will start one): a value some step would read as an option
      // is refused now, before any step; the dry run shows it at its step instead
      List<String> asOptions =
          ValuesAsOptions.refusals(
              runbook, InputResolver.paramValues(runbook, check.values()), plugins());
      if (!asOptions.isEmpty()) {
        throw new Refused(Refused.Reason.PARAMETERS, String.join("\n", asOptions));
      }
    }
    return check;
  }

  // ---- runs -------------------------------------------------------------------------------------

  /**
   * The dry-run: every step the runbook would take, where, with which command; with {@code
   * assumptions} (step → yes/no, or the case of a multi-way step), the one path they select. Runs
   * nothing, connects nowhere.
   */
  public Plan plan(Runbook runbook, Map<String, String> values, Map<String, String> assumptions)
      throws Refused {
    return new Planner(plugins(), inventory())
        .plan(runbook, values, Assumptions.check(runbook, assumptions));
  }

  /** Runs a runbook for real; every event is in its trail before the listener hears of it. */
  public RunResult run(RunRequest request, RunListener listener)
      throws Refused, IOException, InterruptedException {
    refuseIfWritingNothing();
    Runbook runbook = runbook(request.runbook());
    Map<String, String> values = checkParameters(runbook, request.values(), true).values();
    checkSettings(runbook);
    checkSigningKey();
    RunOptions options =
        options(
            runbook,
            request.answers(),
            request.interactive(),
            request.lockWait(),
            request.who(),
            request.approval(),
            request.alarm());
    try (StoreLock shared = storeLock(runbook, values, request.lockWait(), request.who())) {
      return new RunEngine(plugins(), expressions()).start(runbook, values, options, listener);
    } catch (LockHeldException e) {
      throw lockHeld(e);
    } catch (IllegalArgumentException e) {
      throw new Refused(Refused.Reason.PARAMETERS, e.getMessage()); // lock: no value for …
    }
  }

  /**
   * A signing key that cannot be used ({@code RUNBOOK_SIGNING_KEY} readable by others, inside the
   * state directory, not a key) stops the run before its directory exists: a run must not start
   * unsigned when it was meant to be signed.
   */
  private void checkSigningKey() throws Refused {
    try {
      SigningKey.fromEnvironment(stateDir());
    } catch (SigningKey.Unusable e) {
      throw new Refused(Refused.Reason.SETTINGS, e.getMessage());
    }
  }

  /** Continues a paused, stopped, crashed (or, with retryFailed, failed) run from its trail. */
  public RunResult resume(ResumeRequest request, RunListener listener)
      throws Refused, IOException, InterruptedException {
    refuseIfWritingNothing();
    checkSigningKey();
    RunDirectory dir = pullRun(request.runId());
    AuditEvent.RunStarted started = started(dir);
    Runbook runbook = runbookOf(started);
    Map<String, String> values = new LinkedHashMap<>();
    for (ParamSpec spec : runbook.params().values()) {
      String recorded = started.params().get(spec.name());
      if (spec.secret() || recorded == null) {
        continue;
      }
      String again = request.values().get(spec.name());
      if (again != null && !again.equals(recorded) && !request.retryFailed()) {
        throw new Refused(
            Refused.Reason.USAGE,
            "parameter "
                + spec.name()
                + " was '"
                + recorded
                + "' when run "
                + dir.runId()
                + " started; a resumed run keeps its parameters (--retry-failed may change them,"
                + " to run a failed step again with another value)");
      }
      values.put(spec.name(), recorded);
    }
    values.putAll(request.values());
    Map<String, String> checked = checkParameters(runbook, values, true).values();
    checkSettings(runbook);
    RunOptions options =
        options(
            runbook,
            request.answers(),
            request.interactive(),
            request.lockWait(),
            request.who(),
            RunRequest.Approval.NONE, // the trail says which; the engine reads it from there
            request.alarm());
    try (StoreLock shared = storeLock(runbook, checked, request.lockWait(), request.who())) {
      return new RunEngine(plugins(), expressions())
          .resume(runbook, dir, checked, options, listener, request.retryFailed());
    } catch (RunEngine.ResumeRefused e) {
      throw new Refused(Refused.Reason.NOT_RESUMABLE, e.getMessage());
    } catch (LockHeldException e) {
      throw lockHeld(e);
    } catch (IllegalArgumentException e) {
      throw new Refused(Refused.Reason.PARAMETERS, e.getMessage());
    }
  }

  /** A run by id or unique prefix; an empty or odd id is a usage error, not a path. */
  public RunDirectory findRun(String runId) throws Refused {
    if (runId == null || !runId.matches("[0-9A-Za-z][0-9A-Za-z-]*")) {
      throw new Refused(
          Refused.Reason.USAGE,
          "'"
              + (runId == null ? "" : runId)
              + "' is not a run id (like 20261122-031502-4f2a9c0d); 'runbook audit list' shows the"
              + " runs");
    }
    try {
      return RunDirectory.find(stateDir(), runId);
    } catch (IOException e) {
      throw new Refused(Refused.Reason.USAGE, e.getMessage());
    }
  }

  /** The runbook a run started from (see {@link #resume}), for the values it takes. */
  public Runbook runbookOf(RunDirectory dir) throws Refused, IOException {
    return runbookOf(started(dir));
  }

  /**
   * The runbook as a run started it (same content hash), for a report to draw; empty when neither
   * the recorded file nor the library has that content any more.
   */
  public Optional<Runbook> runbookAsStarted(AuditEvent.RunStarted started) throws IOException {
    try {
      return Optional.of(runbookOf(started));
    } catch (Refused | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static AuditEvent.RunStarted started(RunDirectory dir) throws Refused, IOException {
    return AuditTrail.read(dir).events().stream()
        .filter(AuditEvent.RunStarted.class::isInstance)
        .map(AuditEvent.RunStarted.class::cast)
        .findFirst()
        .orElseThrow(
            () ->
                new Refused(
                    Refused.Reason.NOT_RESUMABLE,
                    "run "
                        + dir.runId()
                        + " has no run.started event; there is nothing to resume"));
  }

  /**
   * The runbook a run started from: the file its trail names, if it still has the recorded content
   * (whatever the library path says now); else a runbook of that id in the library with that
   * content.
   */
  private Runbook runbookOf(AuditEvent.RunStarted started) throws Refused, IOException {
    Path recorded = Path.of(started.file());
    if (Files.isRegularFile(recorded)) {
      ParseResult result = parser().parse(recorded, started.file());
      if (result.runbook() != null
          && result.runbook().contentHash().equals(started.contentHash())) {
        return validAsStarted(result, started);
      }
    }
    for (ParseResult result : library().findAll(started.runbook())) {
      if (result.runbook().contentHash().equals(started.contentHash())) {
        return validAsStarted(result, started);
      }
    }
    throw new Refused(
        Refused.Reason.NOT_RESUMABLE,
        "runbook "
            + started.runbook()
            + " ("
            + started.file()
            + ") is gone or changed since the run started (sha256 "
            + started.contentHash().substring(0, 12)
            + "…); resume it with the runbook as it was (--runbooks DIR), or start a new run");
  }

  /**
   * The runbook linked to the very library files its run started with (by content hash: the file
   * the trail names, or a library of that name under the runbook paths); refused when one is gone
   * or changed, as for the runbook itself.
   */
  private Runbook validAsStarted(ParseResult result, AuditEvent.RunStarted started)
      throws Refused, IOException {
    if (result.runbook().uses().isEmpty()) {
      return valid(result);
    }
    List<Library> libraries = new ArrayList<>();
    for (AuditEvent.LibraryUsed used :
        started.libraries() == null ? List.<AuditEvent.LibraryUsed>of() : started.libraries()) {
      Optional<Library> found = libraryAsStarted(used);
      if (found.isEmpty()) {
        throw new Refused(
            Refused.Reason.NOT_RESUMABLE,
            "library "
                + used.library()
                + " ("
                + used.file()
                + ") is gone or changed since the run started (sha256 "
                + used.contentHash().substring(0, 12)
                + "…); resume it with the library as it was (--runbooks DIR), or start a new run");
      }
      libraries.add(found.get());
    }
    Linker.Linked linked = Linker.link(result.runbook(), librariesWith(libraries));
    if (!linked.problems().isEmpty()) {
      throw new Refused(
          Refused.Reason.NOT_RESUMABLE,
          "runbook "
              + started.runbook()
              + " uses a library its run did not record; start a new run",
          linked.problems());
    }
    return valid(new ParseResult(linked.runbook(), result.problems()));
  }

  private Optional<Library> libraryAsStarted(AuditEvent.LibraryUsed used)
      throws Refused, IOException {
    if (used.file() != null && Files.isRegularFile(Path.of(used.file()))) {
      Library library = parser().parse(Path.of(used.file()), used.file()).library();
      if (library != null
          && library.id().equals(used.library())
          && library.contentHash().equals(used.contentHash())) {
        return Optional.of(library);
      }
    }
    return runbookPaths.isEmpty()
        ? Optional.empty()
        : library().library(used.library(), used.contentHash());
  }

  private void refuseIfWritingNothing() throws Refused {
    if (writesNothing) {
      throw new Refused(
          Refused.Reason.USAGE, "this engine writes nothing (a dry run): it runs nothing either");
    }
  }

  /** The shared store named by {@code --store}, if one was. */
  public Optional<StoreUrl> storeUrl() {
    return Optional.ofNullable(storeUrl);
  }

  /**
   * Where runs are kept: the shared store {@code --store} names (opened through the {@link
   * StoreProvider} on the class path for its scheme), else the state directory. Opened once; the
   * caller closes it.
   */
  public Store store() throws Refused {
    if (store != null) {
      return store;
    }
    if (storeUrl == null) {
      store = new DirectoryStore(stateDir());
      return store;
    }
    for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, loader)) {
      if (provider.scheme().equals(storeUrl.scheme())) {
        try {
          store = provider.open(storeUrl);
          return store;
        } catch (IOException | RuntimeException e) {
          throw new Refused(
              Refused.Reason.USAGE, "cannot open the store " + storeUrl + ": " + e.getMessage());
        }
      }
    }
    throw new Refused(
        Refused.Reason.USAGE,
        "no store for "
            + storeUrl.scheme()
            + ":// is installed (runbook-store-"
            + storeUrl.scheme()
            + " is not on the class path)");
  }

  public Path stateDir() throws Refused {
    if (stateDir == null) {
      throw new Refused(Refused.Reason.USAGE, "no state directory");
    }
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      throw new Refused(
          Refused.Reason.USAGE, "the state directory " + stateDir + " is a file, not a directory");
    }
    return stateDir;
  }

  private RunOptions options(
      Runbook runbook,
      List<RunRequest.GivenAnswers> given,
      Answerer interactive,
      Duration lockWait,
      RunRequest.Operator who,
      RunRequest.Approval approval,
      Alarm alarm)
      throws Refused {
    Set<String> ids = stepIds(runbook);
    Answerer answerer = Answerer.NOBODY;
    for (RunRequest.GivenAnswers source : given) {
      for (String name : source.byStep().keySet()) {
        String id =
            name.replaceAll(".*/", "").replaceAll("\\[\\d+\\]$", "").replaceAll("@\\d+$", "");
        if (!ids.contains(id)) {
          throw new Refused(
              Refused.Reason.USAGE,
              source.via()
                  + " "
                  + name
                  + ": runbook "
                  + runbook.id()
                  + " has no step '"
                  + id
                  + "'"
                  + Suggestions.hint(id, ids));
        }
      }
      GivenAnswerCheck.check(runbook, source);
      answerer = answerer.orElse(upFront(source, who));
    }
    return new RunOptions(
        stateDir(),
        who.name(),
        who.osUser(),
        machine.get(),
        engineVersion,
        clock,
        sleeper,
        answerer.orElse(interactive),
        lockWait,
        fsync,
        inventory(),
        approval,
        alarm,
        mirror(alarm));
  }

  /**
   * The run's copy in the shared store ({@code --store}), fenced as {@link #fenceTrails} says; null
   * with the state directory alone.
   */
  private TrailMirror mirror(Alarm alarm) throws Refused {
    if (storeUrl == null) {
      return null;
    }
    return new StoreMirror(store().trails(), trailFence, alarm, STORE_PATIENCE, sleeper);
  }

  /**
   * Fences every run's writes to the shared store from now on: {@code runbook serve} ties a run to
   * the lease on the alert it runs for, so a server whose alert was taken over stops writing. Call
   * it before the first run.
   */
  public void fenceTrails(TrailFence fence) {
    this.trailFence = fence;
  }

  /**
   * A run's directory here, brought up to date from the shared store first when there is one (the
   * store is the run's record: another server may have gone on with it), so it can be resumed or
   * answered on any server.
   */
  public RunDirectory pullRun(String runId) throws Refused {
    if (storeUrl == null) {
      return findRun(runId);
    }
    if (runId == null || !RunDirectory.isValidId(runId)) {
      return findRun(runId); // says what is wrong with it
    }
    try {
      RunDirectory pulled = TrailPull.pull(store().trails(), stateDir(), runId);
      return pulled != null ? pulled : findRun(runId);
    } catch (IOException e) {
      throw new Refused(
          Refused.Reason.USAGE,
          "cannot bring run " + runId + " from " + store().describe() + ": " + e.getMessage());
    }
  }

  /** Answers from one source, by step path first, then by step id; the operator is the caller. */
  private static Answerer upFront(RunRequest.GivenAnswers source, RunRequest.Operator who) {
    return question -> {
      Answer given =
          source.byStep().containsKey(question.step())
              ? source.byStep().get(question.step())
              : source.byStep().get(question.stepId());
      return Optional.ofNullable(given)
          .map(
              a ->
                  new Answer(
                      Answer.normalize(a.value(), question), source.via(), who.name(), a.note()));
    };
  }

  /** Every step id of a runbook, procedures included. */
  public static Set<String> stepIds(Runbook runbook) {
    Set<String> ids = new LinkedHashSet<>();
    stepsOf(runbook).stream().map(Step::id).forEach(ids::add);
    return ids;
  }

  /** Every step of a runbook: its main steps, then its procedures' and its libraries'. */
  static List<Step> stepsOf(Runbook runbook) {
    List<Step> steps = new ArrayList<>(runbook.steps());
    runbook.callable().values().forEach(p -> steps.addAll(p.steps()));
    return steps;
  }

  /**
   * The settings of every transport the runbook's targets use, checked before anything runs: a
   * mistake ({@code RUNBOOK_SSH_CONNECT_TIMEOUT=abc}) refuses the run, naming the setting.
   */
  private void checkSettings(Runbook runbook) throws Refused {
    Set<String> kinds = new TreeSet<>();
    kinds.add(TargetSpec.LOCAL);
    runbook.targets().values().forEach(t -> kinds.add(t.kind()));
    for (String kind : kinds) {
      try {
        plugins().transport(kind).ifPresent(TransportProvider::checkSettings);
      } catch (SettingException e) {
        throw new Refused(Refused.Reason.SETTINGS, e.getMessage());
      }
    }
  }

  /**
   * With a shared store, the runbook's {@code lock:} is taken there too for a run a person starts
   * or resumes, so runs on other machines exclude it (null: no store, no lock, or the server takes
   * its runs' locks itself).
   */
  private StoreLock storeLock(
      Runbook runbook, Map<String, String> values, Duration wait, RunRequest.Operator who)
      throws Refused, IOException, InterruptedException {
    if (storeUrl == null || locksTakenByCaller) {
      return null;
    }
    String key = plan(runbook, values, Map.of()).lock();
    if (key == null) {
      return null;
    }
    try {
      return StoreLock.take(
          store().locks(),
          key,
          who.name() + " on " + machine.get() + " (pid " + ProcessHandle.current().pid() + ")",
          wait,
          sleeper);
    } catch (LockHeldException e) {
      throw lockHeld(e);
    }
  }

  /**
   * The caller takes the runbook locks of its runs in the shared store itself ({@code runbook
   * serve}, with its other leases): the engine then takes only its file locks.
   */
  public void leaveStoreLocksToCaller() {
    this.locksTakenByCaller = true;
  }

  private static Refused lockHeld(LockHeldException e) {
    return new Refused(
        Refused.Reason.LOCK_HELD,
        "lock '"
            + e.key()
            + "' is held by "
            + e.holder()
            + "; wait for it to finish, or give --wait-lock 10m to wait");
  }

  /**
   * Makes every part now (plugins, parser, validator, CEL, the library, the inventory), so that
   * runs, plans and checks may then go on from several threads at once (the alarm server).
   */
  public void prepare() throws Refused {
    plugins();
    parser();
    validator();
    expressions();
    library();
    inventory();
  }

  // ---- parts, made on first use
  // -------------------------------------------------------------------

  private PluginRegistry plugins() throws Refused {
    if (plugins == null) {
      try {
        plugins =
            givenPlugins != null ? PluginRegistry.of(givenPlugins) : PluginRegistry.load(loader);
      } catch (PluginRegistry.PluginConflictException e) {
        throw new Refused(Refused.Reason.SETTINGS, e.getMessage());
      }
    }
    return plugins;
  }

  private RunbookParser parser() throws Refused {
    if (parser == null) {
      parser = new RunbookParser(plugins());
    }
    return parser;
  }

  private Expressions expressions() {
    if (expressions == null) {
      expressions = new Expressions();
    }
    return expressions;
  }

  private RunbookValidator validator() throws Refused {
    if (validator == null) {
      validator = new RunbookValidator(plugins(), expressions());
    }
    return validator;
  }

  /**
   * The runbook files under {@code paths}, read but parsed and checked only as they are asked for,
   * with the library index of the state directory (see {@link LibraryIndex}).
   */
  private RunbookLibrary open(List<Path> paths) throws Refused {
    RunbookParser parser = parser();
    RunbookValidator validator = validator();
    List<Class<?>> code = new ArrayList<>(List.of(Engine.class));
    plugins().plugins().forEach(p -> code.add(p.getClass()));
    LibraryIndex index = LibraryIndex.open(stateDir, CodeVersion.of(code), !writesNothing);
    return RunbookLibrary.open(paths, parser, result -> problems(result, validator), index);
  }

  private RunbookLibrary library() throws Refused {
    if (library == null) {
      for (Path path : runbookPaths) {
        if (!Files.exists(path)) {
          throw new Refused(Refused.Reason.USAGE, "no such file or directory: " + path);
        }
      }
      RunbookLibrary loaded = open(runbookPaths);
      if (loaded.isEmpty()) {
        throw new Refused(
            Refused.Reason.USAGE,
            "no runbook files (*.yaml) in "
                + runbookPaths
                + "; give --runbooks DIR or set RUNBOOK_PATH");
      }
      library = loaded;
    }
    return library;
  }

  private Inventory inventory() throws Refused {
    if (inventory == null) {
      try {
        inventory =
            inventoryFile == null
                ? Inventory.EMPTY
                : Inventory.load(inventoryFile, plugins().targetKinds());
      } catch (Inventory.InventoryException e) {
        throw new Refused(Refused.Reason.USAGE, e.getMessage());
      }
    }
    return inventory;
  }
}
