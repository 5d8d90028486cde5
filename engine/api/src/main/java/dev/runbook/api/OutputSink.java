package dev.runbook.api;

/**
 * Receives a step's output line by line as it arrives. Implementations are thread-safe: stdout and
 * stderr are pumped by different threads.
 */
public interface OutputSink {

  void stdout(String line);

  void stderr(String line);

  /** A sink that drops everything. */
  OutputSink DISCARD =
      new OutputSink() {
        @Override
        public void stdout(String line) {}

        @Override
        public void stderr(String line) {}
      };
}
