package dev.runbook.cli;

import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ITs of the OpenShift runbooks that approve CSRs share: a fresh Kubernetes mock fixture
 * per test ({@link KubernetesFixtureExtension}), its nodes and CSRs ({@link CsrObjects}) with the
 * kubelet stand-ins stopped after each test, and the real CLI with the real kubectl as {@code oc}.
 */
@ExtendWith(KubernetesFixtureExtension.class)
abstract class CsrLoopAgainstKubernetesFixture {

  /** How long a kubelet stand-in takes to turn its node Ready once its CSR is approved. */
  static final Duration KUBELET_LAG = Duration.ofMillis(300);

  @TempDir Path tmp;
  KubernetesFixture fixture;
  CsrObjects cluster;
  FixtureRunner runner;

  @BeforeEach
  void startCluster(KubernetesFixture started) throws IOException {
    fixture = started;
    cluster = new CsrObjects(started);
    runner = FixtureRunner.withOc(tmp, started);
  }

  @AfterEach
  void stopKubelets() throws InterruptedException {
    cluster.stopKubelets();
  }
}
