package dev.runbook.engine.execute;

import dev.runbook.api.Alarm;
import dev.runbook.engine.Answerer;
import dev.runbook.engine.RunRequest;
import dev.runbook.engine.Sleeper;
import dev.runbook.engine.audit.TrailMirror;
import dev.runbook.engine.library.Inventory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run: where state lives, who runs it, and the injected clock, sleeper and answerer.
 *
 * @param stateDir where runs and locks are kept
 * @param operator who runs it, as they name themselves (recorded with every answer)
 * @param osUser the OS account the engine runs as, recorded beside the operator
 * @param machine where it runs
 * @param engineVersion recorded in the trail
 * @param clock the time source
 * @param sleeper how waits are done
 * @param answerer who answers questions
 * @param lockWait how long to wait for a lock another run holds (zero: do not wait)
 * @param fsync whether durable events are synced to disk (false only to measure its cost)
 * @param inventory the site's hosts and groups; {@link dev.runbook.engine.library.Inventory#EMPTY}
 *     for none
 * @param approval whether a person approves the run's first change (a resumed run takes it from its
 *     trail)
 * @param alarm the alarm that started the run, or null
 * @param mirror where a copy of the trail is kept as it is written (a shared store), or null
 */
public record RunOptions(
    Path stateDir,
    String operator,
    String osUser,
    String machine,
    String engineVersion,
    Clock clock,
    Sleeper sleeper,
    Answerer answerer,
    Duration lockWait,
    boolean fsync,
    Inventory inventory,
    RunRequest.Approval approval,
    Alarm alarm,
    TrailMirror mirror) {

  public RunOptions {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(osUser, "osUser");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(answerer, "answerer");
    Objects.requireNonNull(lockWait, "lockWait");
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(approval, "approval");
  }

  /** These options with another approval policy (a resumed run keeps the one it started with). */
  public RunOptions withApproval(RunRequest.Approval value) {
    return new RunOptions(
        stateDir,
        operator,
        osUser,
        machine,
        engineVersion,
        clock,
        sleeper,
        answerer,
        lockWait,
        fsync,
        inventory,
        value,
        alarm,
        mirror);
  }
}
