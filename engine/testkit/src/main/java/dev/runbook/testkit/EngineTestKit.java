package dev.runbook.testkit;

import dev.runbook.api.Plugin;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.Engine;
import dev.runbook.engine.ParameterCheck;
import dev.runbook.engine.Plan;
import dev.runbook.engine.Refused;
import dev.runbook.engine.ResumeRequest;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.RunResult;
import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import dev.runbook.engine.model.Runbook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the engine in-process, through its facade ({@link Engine}), over runbooks given as YAML
 * text, and hands back what each run left ({@link Execution}: the trail's events and the {@link
 * RunResult}); in the spirit of JUnit's {@code EngineTestKit}.
 *
 * <pre>
 * ScriptedPlugin plugin = new ScriptedPlugin();
 * plugin.action("probe").replies(Reply.exit(1), Reply.exit(1), Reply.succeed());
 * EngineTestKit kit = EngineTestKit.in(tmp).plugins(plugin).runbook("""
 *     runbook: T
 *     title: flaky
 *     steps:
 *       - {id: flaky, probe: x, retry: {attempts: 4, delay: 10ms}}
 *     """);
 * Execution run = kit.run("T").execute();
 * assertThat(run.started()).containsExactly("flaky@1", "flaky@1", "flaky@1");
 * </pre>
 *
 * <p>Each call builds a new {@link Engine}, as each command of the CLI does, over one directory of
 * the test's own: {@code runbooks/} (the YAML given) and {@code state/} (runs, trails, locks). Time
 * is {@link FakeTime} unless {@link #realTime()} is asked for: waits take no time and the trail's
 * times are exact. Plugins are those given, else those installed on the class path. Answers given
 * up front are recorded as given {@code via testkit}.
 *
 * <p>Not thread-safe while being set up; runs may be started from several threads ({@link
 * RunCall#start}).
 */
public final class EngineTestKit {

  /** How answers given to a run are recorded ({@code answer.via}). */
  public static final String VIA = "testkit";

  private final Path runbooks;
  private final Path state;
  private final List<Path> library = new ArrayList<>();
  private List<Plugin> plugins;
  private FakeTime time = new FakeTime();
  private boolean realTime;
  private Path inventory;
  private RunRequest.Operator operator = new RunRequest.Operator("tester", "tester");
  private int written;

  private EngineTestKit(Path dir) {
    this.runbooks = dir.resolve("runbooks");
    this.state = dir.resolve("state");
    library.add(runbooks);
    try {
      Files.createDirectories(runbooks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A kit whose runbooks and state live in {@code dir} (a test's temporary directory). */
  public static EngineTestKit in(Path dir) {
    return new EngineTestKit(dir);
  }

  /** Exactly these plugins, instead of those installed on the class path. */
  public EngineTestKit plugins(Plugin... given) {
    this.plugins = List.of(given);
    return this;
  }

  /** Writes a runbook into the kit's library (as {@code runbook-N.yaml}). */
  public EngineTestKit runbook(String yaml) {
    return runbook("runbook-" + ++written + ".yaml", yaml);
  }

  /** Writes (or replaces) a runbook file in the kit's library. */
  public EngineTestKit runbook(String fileName, String yaml) {
    try {
      Files.writeString(runbooks.resolve(fileName), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Another runbook file or directory to find runbooks in (the repository's library). */
  public EngineTestKit library(Path path) {
    library.add(path);
    return this;
  }

  /** The site's hosts and groups, as an inventory file holds them. */
  public EngineTestKit inventory(String yaml) {
    try {
      inventory = Files.writeString(state.getParent().resolve("inventory.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The system clock and real sleeps, for runs whose steps do real work in real time. */
  public EngineTestKit realTime() {
    this.realTime = true;
    return this;
  }

  /** Who runs, answers and resumes. */
  public EngineTestKit operator(String name) {
    this.operator = new RunRequest.Operator(name, operator.osUser());
    return this;
  }

  /** The kit's fake time, to move on between runs or to crash a wait. */
  public FakeTime time() {
    if (realTime) {
      throw new IllegalStateException("this kit runs in real time");
    }
    return time;
  }

  public Path stateDirectory() {
    return state;
  }

  public Path runbookDirectory() {
    return runbooks;
  }

  /** The operator's name as the trail records it. */
  public String operator() {
    return operator.name();
  }

  /** A new engine as the kit is set up: what each call below uses. */
  public Engine engine() {
    Engine.Builder builder =
        Engine.builder()
            .runbooks(library)
            .stateDir(state)
            .inventory(inventory)
            .identity(() -> "testkit-host", "testkit")
            .fsync(false);
    if (plugins != null) {
      builder.plugins(plugins);
    }
    if (!realTime) {
      builder.clock(time).sleeper(time);
    }
    return builder.build();
  }

  /** Every run in the state directory, oldest first. */
  public List<RunDirectory> runs() {
    try {
      return RunSummary.runs(state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run of {@code runbook} (an id or alarm id), to be given values and answers. */
  public RunCall run(String runbook) {
    return new RunCall(runbook, null);
  }

  /** A resume of run {@code runId} (or a unique prefix of it). */
  public RunCall resume(String runId) {
    return new RunCall(null, runId);
  }

  /** A resume of the run an earlier call made. */
  public RunCall resume(Execution earlier) {
    return resume(earlier.runId());
  }

  /** A dry-run (plan) of {@code runbook}. */
  public DryRun dryRun(String runbook) {
    return new DryRun(runbook);
  }

  /** One run or resume: its values and answers, then {@link #execute} or {@link #start}. */
  public final class RunCall {
    private final String runbook;
    private final String runId;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private Answerer interactive = Answerer.NOBODY;
    private Duration lockWait = Duration.ZERO;
    private boolean retryFailed;

    private RunCall(String runbook, String runId) {
      this.runbook = runbook;
      this.runId = runId;
    }

    /** A parameter value, as {@code -p NAME=VALUE} gives it. */
    public RunCall param(String name, String value) {
      values.put(name, value);
      return this;
    }

    /** An answer given up front, by step id or step path ({@code yes}, {@code no}, a case). */
    public RunCall answer(String step, String value) {
      return answer(step, value, null);
    }

    /** An answer given up front, with the person's note. */
    public RunCall answer(String step, String value, String note) {
      answers.put(step, new Answer(value, VIA, operator.name(), note));
      return this;
    }

    /** Who is asked when no answer was given up front (by default nobody: the run pauses). */
    public RunCall interactive(Answerer answerer) {
      this.interactive = answerer;
      return this;
    }

    /** How long to wait for a lock another run holds (by default not at all). */
    public RunCall lockWait(Duration wait) {
      this.lockWait = wait;
      return this;
    }

    /** For a resume: a run that ended failed runs its failed step again. */
    public RunCall retryFailed() {
      if (runId == null) {
        throw new IllegalStateException("only a resume retries a failed run");
      }
      this.retryFailed = true;
      return this;
    }

    /**
     * Runs (or resumes) to the end, a pause, or a simulated crash.
     *
     * @throws Refused when the engine refuses the request; nothing has run then
     */
    public Execution execute() throws Refused, InterruptedException {
      Engine engine = engine();
      Heard heard = new Heard();
      List<RunRequest.GivenAnswers> given =
          answers.isEmpty() ? List.of() : List.of(new RunRequest.GivenAnswers(VIA, answers));
      RunResult result = null;
      boolean crashed = false;
      try {
        result =
            runId == null
                ? engine.run(
                    new RunRequest(runbook, values, given, interactive, lockWait, operator), heard)
                : engine.resume(
                    new ResumeRequest(
                        runId, values, given, interactive, lockWait, retryFailed, operator),
                    heard);
      } catch (Refused refused) {
        throw withProblems(refused);
      } catch (SimulatedCrash crash) {
        crashed = true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String id =
          result != null ? result.runId() : runId != null ? engine.findRun(runId).runId() : null;
      if (id == null) {
        id = heard.runId();
      }
      return heard.execution(id, result, crashed);
    }

    /** Runs on a thread of its own; the future fails with the engine's refusal, if any. */
    public CompletableFuture<Execution> start() {
      CompletableFuture<Execution> future = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  future.complete(execute());
                } catch (Refused | InterruptedException | RuntimeException | Error e) {
                  future.completeExceptionally(new CompletionException(e));
                }
              },
              "testkit-run");
      thread.setDaemon(true);
      thread.start();
      return future;
    }
  }

  /** A dry-run: its values and assumptions, then {@link #plan}. */
  public final class DryRun {
    private final String runbook;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> assumptions = new LinkedHashMap<>();

    private DryRun(String runbook) {
      this.runbook = runbook;
    }

    public DryRun param(String name, String value) {
      values.put(name, value);
      return this;
    }

    /** Follows one path: the step's answer or decision is assumed ({@code yes} or {@code no}). */
    public DryRun assume(String step, String answer) {
      assumptions.put(step, answer);
      return this;
    }

    /** The plan; missing required values are noted in it, as {@code --dry-run} does. */
    public Plan plan() throws Refused {
      Engine engine = engine();
      try {
        Runbook found = engine.runbook(runbook);
        ParameterCheck check = engine.checkParameters(found, values, false);
        return engine.plan(found, check.values(), assumptions);
      } catch (Refused refused) {
        throw withProblems(refused);
      }
    }
  }

  /** A refusal whose message lists the runbook's problems, so a failing test shows them. */
  private static Refused withProblems(Refused refused) {
    if (refused.problems().isEmpty()) {
      return refused;
    }
    StringBuilder message = new StringBuilder(refused.getMessage());
    refused.problems().forEach(p -> message.append("\n  ").append(p));
    return new Refused(refused.reason(), message.toString(), refused.problems());
  }

  /** What the listener hears during one call. */
  private final class Heard implements RunListener {
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @Override
    public void event(AuditEvent event) {
      events.add(event);
    }

    @Override
    public void output(String step, boolean stderr, String line) {
      output.add(step + ": " + line);
    }

    @Override
    public void progress(String step, String text) {
      progress.add(step + ": " + text);
    }

    String runId() {
      return events.stream()
          .filter(AuditEvent.RunStarted.class::isInstance)
          .map(e -> ((AuditEvent.RunStarted) e).runId())
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the run never started"));
    }

    Execution execution(String id, RunResult result, boolean crashed) {
      try {
        RunDirectory dir = RunDirectory.find(state, id);
        return new Execution(
            id, result, crashed, dir, AuditTrail.read(dir).lines(), events, output, progress);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
