/**
 * The testkit: what tests need to drive the engine and its plugins without the command line.
 *
 * <ul>
 *   <li>{@link dev.runbook.testkit.FakeActionContext}: what the engine lends an action, for a
 *       plugin's own unit tests (the transport is the test's, a real one wherever it can run).
 *   <li>{@link dev.runbook.testkit.ScriptedPlugin} and {@link dev.runbook.testkit.ScriptedAction}:
 *       a fake plugin whose actions succeed with output, exit with a code, fail N times then
 *       succeed, block until released ({@link dev.runbook.testkit.Gate}), or crash the engine
 *       ({@link dev.runbook.testkit.SimulatedCrash}), and record what they were given.
 *   <li>{@link dev.runbook.testkit.EngineTestKit}: the engine in-process over runbooks given as
 *       YAML, returning each run's trail and result ({@link dev.runbook.testkit.Execution}), in
 *       {@link dev.runbook.testkit.FakeTime} unless real time is asked for.
 * </ul>
 *
 * <p>Where it sits in the build: it depends on {@code engine/api} and {@code engine/core} (the
 * facade). So core's own tests cannot use it: a test-scoped dependency of core on the testkit would
 * make Maven's reactor cyclic (core → testkit → core). The engine's semantic tests (retry, {@code
 * max_visits}, fan-out, call and return, waits and polls, resume after a crash, pauses and answers,
 * {@code on_failure}, the dry-run's path) therefore live in this module's own {@code src/test}, in
 * package {@code dev.runbook.engine.semantics}. Plugins depend on it test-scoped (their tests
 * already see core through {@code test-fixtures}); the testkit depends on no plugin, not even for
 * its tests, so every plugin's tests may use it. Runbooks of the library that need the real plugins
 * are run through the kit from {@code engine/cli}'s tests, where every plugin is on the class path.
 */
package dev.runbook.testkit;
