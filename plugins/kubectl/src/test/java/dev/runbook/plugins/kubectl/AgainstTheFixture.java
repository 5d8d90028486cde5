package dev.runbook.plugins.kubectl;

import dev.runbook.fixtures.kubernetes.KubernetesFixture;
import dev.runbook.fixtures.kubernetes.KubernetesFixtureExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kubectl action's integration tests share: one Kubernetes mock fixture per test class
 * (stopped after it by {@link KubernetesFixtureExtension}), the real kubectl through {@link
 * Cluster}, and the fixture's record of requests emptied before each test.
 */
@ExtendWith(KubernetesFixtureExtension.class)
abstract class AgainstTheFixture {

  @TempDir static Path dir;
  static Cluster cluster;

  @BeforeAll
  static void start(KubernetesFixture fixture) {
    cluster = new Cluster(fixture, dir);
  }

  @BeforeEach
  void forgetRequests() {
    cluster.fixture.clearRequests();
  }
}
