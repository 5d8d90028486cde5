package dev.runbook.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * The server's metrics, in a registry of its own (never the JVM-wide default), written in
 * Prometheus' text format for {@code GET /metrics}. Thread-safe.
 */
public final class ServerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Counter received =
      Counter.builder()
          .name("runbook_alerts_received_total")
          .help("Alerts received, firing or resolved, by source")
          .labelNames("source")
          .register(registry);
  private final Counter matched =
      Counter.builder()
          .name("runbook_alerts_matched_total")
          .help("Firing alerts that selected a runbook and were queued")
          .register(registry);
  private final Counter unmatched =
      Counter.builder()
          .name("runbook_alerts_unmatched_total")
          .help("Firing alerts no runbook takes")
          .register(registry);
  private final Counter rejected =
      Counter.builder()
          .name("runbook_alerts_rejected_total")
          .help("Firing alerts whose labels gave values that do not fit the runbook (nothing ran)")
          .register(registry);
  private final Counter deduplicated =
      Counter.builder()
          .name("runbook_alerts_deduplicated_total")
          .help("Re-sent firing alerts attached to the run they already have")
          .register(registry);
  private final Counter turnedAway =
      Counter.builder()
          .name("runbook_alerts_turned_away_total")
          .help("Alerts answered 503 because the queue was full (the sender retries)")
          .register(registry);
  private final Counter runs =
      Counter.builder()
          .name("runbook_runs_total")
          .help(
              "Runs that ended or paused, by outcome (resolved, escalated, failed, paused, planned)")
          .labelNames("outcome")
          .register(registry);
  private final Counter takenOver =
      Counter.builder()
          .name("runbook_alerts_taken_over_total")
          .help(
              "Alerts claimed after their server stopped renewing its lease (shared store), by what"
                  + " became of them: restarted (no step had begun), resumed (the trail is here),"
                  + " paused (a step may have run elsewhere: a person decides)")
          .labelNames("outcome")
          .register(registry);
  private final Histogram steps =
      Histogram.builder()
          .name("runbook_step_duration_seconds")
          .help("How long steps of server-driven runs took")
          .classicOnly()
          .register(registry);
  private final Histogram approvalWait =
      Histogram.builder()
          .name("runbook_approval_wait_seconds")
          .help("From a run's pause for approval to the approval")
          .classicOnly()
          .classicUpperBounds(1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600)
          .register(registry);

  public ServerMetrics(IntSupplier queueDepth) {
    GaugeWithCallback.builder()
        .name("runbook_queue_depth")
        .help("Accepted alerts waiting for a worker")
        .callback(cb -> cb.call(queueDepth.getAsInt()))
        .register(registry);
  }

  public void received(String source) {
    received.labelValues(source).inc();
  }

  public void matched() {
    matched.inc();
  }

  public void unmatched() {
    unmatched.inc();
  }

  public void rejected() {
    rejected.inc();
  }

  public void deduplicated() {
    deduplicated.inc();
  }

  public void turnedAway(int alerts) {
    turnedAway.inc(alerts);
  }

  public void run(String outcome) {
    runs.labelValues(outcome).inc();
  }

  public void takenOver(String outcome) {
    takenOver.labelValues(outcome).inc();
  }

  public void step(long millis) {
    steps.observe(millis / 1000.0);
  }

  public void approvalWait(double seconds) {
    approvalWait.observe(seconds);
  }

  public String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  public void write(OutputStream out) throws IOException {
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
  }
}
