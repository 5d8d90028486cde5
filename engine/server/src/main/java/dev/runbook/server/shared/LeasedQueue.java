package dev.runbook.server.shared;

import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import dev.runbook.server.queue.SharedQueue;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The shared queue as the rest of the server sees it (an {@link AlertQueue}): a change of an alert
 * this server holds the lease of is written fenced by that lease, so a server whose alert was taken
 * over cannot overwrite what the new holder records.
 */
public final class LeasedQueue implements AlertQueue {

  private final SharedQueue shared;
  private final Leases leases;

  public LeasedQueue(SharedQueue shared, Leases leases) {
    this.shared = shared;
    this.leases = leases;
  }

  @Override
  public Admission admit(List<AlertRecord> records) throws IOException {
    return shared.admit(records);
  }

  @Override
  public void update(AlertRecord record) throws IOException {
    // A lease taken over is still used: the store refuses the write instead of taking it unfenced.
    var lease = leases.writingAs(record.key());
    if (lease.isPresent()) {
      shared.update(record, lease.get());
    } else {
      shared.update(record);
    }
  }

  @Override
  public boolean resolved(String key) throws IOException {
    return shared.resolved(key);
  }

  @Override
  public Optional<AlertRecord> get(String key) {
    return shared.get(key);
  }

  @Override
  public Optional<AlertRecord> byRun(String runId) {
    return shared.byRun(runId);
  }

  @Override
  public List<AlertRecord> all() {
    return shared.all();
  }

  @Override
  public int waiting() {
    return shared.waiting();
  }

  @Override
  public int limit() {
    return shared.limit();
  }

  @Override
  public void close() throws IOException {
    shared.close();
  }
}
