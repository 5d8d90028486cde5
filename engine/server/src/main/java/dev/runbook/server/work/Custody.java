package dev.runbook.server.work;

import java.io.IOException;

/**
 * Who may drive an alert's run. On one server alone, always this server (its workers exclude each
 * other); with a shared queue, the server holding the alert's lease, taken before a worker starts
 * and given up when the run ended or paused.
 */
public interface Custody {

  /**
   * Makes sure this server may drive the alert now.
   *
   * @return false when another server holds it (the job is offered again later)
   */
  boolean take(String key) throws IOException;

  /** The worker is done with the alert (its run ended or paused, or driving it failed). */
  void release(String key);

  /** One server alone: nothing to take. */
  Custody LOCAL =
      new Custody() {
        @Override
        public boolean take(String key) {
          return true;
        }

        @Override
        public void release(String key) {}
      };
}
