package dev.runbook.server.queue;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The server's durable record of alerts: accepted alerts and how far each one's run has gone. An
 * accepted alert is on stable storage before the sender hears 2xx, and each state change before it
 * is acted on, so a server killed at any moment finds on restart every alert it accepted and what
 * became of it. The directory store ({@link DirectoryQueue}) is the embedded default; a shared
 * database can stand behind the same interface for several servers.
 *
 * <p>Implementations are thread-safe.
 */
public interface AlertQueue extends Closeable {

  /** The result of offering a batch of new records. */
  enum Admission {
    /** Every record is durably recorded. */
    RECORDED,
    /** Too many alerts wait already: nothing was recorded; the sender should retry later. */
    FULL
  }

  /**
   * Records new alerts, all or none: when accepting the {@code queued} among them would put more
   * than the limit in state {@link AlertRecord.State#QUEUED}, nothing is recorded.
   */
  Admission admit(List<AlertRecord> records) throws IOException;

  /** Records a change of one alert durably (a new state, its run id, a resolved notification). */
  void update(AlertRecord record) throws IOException;

  /**
   * Records that the alert was resolved (cleared) at its source; for good, whatever state changes
   * follow.
   *
   * @return false when no such alert is known
   */
  boolean resolved(String key) throws IOException;

  Optional<AlertRecord> get(String key);

  /** The alert whose run this is. */
  Optional<AlertRecord> byRun(String runId);

  /** Every alert, oldest first. */
  List<AlertRecord> all();

  /** How many alerts wait for a worker. */
  int waiting();

  /** How many may wait before new alerts are turned away (503). */
  int limit();
}
