package dev.runbook.server.work;

import dev.runbook.api.Alarm;
import dev.runbook.server.queue.AlertQueue;
import dev.runbook.server.queue.AlertRecord;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The alarm of a server-driven run, as {@code alarm.cleared} sees it: its labels, the source's API
 * to ask (Alertmanager), and whether a resolved notification has arrived, read from the queue each
 * time it is asked.
 */
final class ServerAlarm implements Alarm {

  private final AlertRecord record;
  private final AlertQueue queue;

  ServerAlarm(AlertRecord record, AlertQueue queue) {
    this.record = record;
    this.queue = queue;
  }

  @Override
  public String source() {
    return record.source();
  }

  @Override
  public String id() {
    return record.key();
  }

  @Override
  public String name() {
    return record.alarm();
  }

  @Override
  public Map<String, String> labels() {
    return record.labels();
  }

  @Override
  public Optional<URI> api() {
    return Optional.ofNullable(record.api()).map(URI::create);
  }

  @Override
  public boolean resolved() {
    return queue.get(record.key()).map(AlertRecord::resolved).orElse(false);
  }
}
