package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.Plugin;
import dev.runbook.api.Target;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class KubectlPluginTest {

  @Test
  void isFoundByTheServiceLoaderWithItsActionAndTransport() {
    Plugin plugin =
        ServiceLoader.load(Plugin.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.id().equals("kubectl"))
            .findFirst()
            .orElseThrow();

    assertThat(plugin.actions()).extracting(a -> a.descriptor().name()).containsExactly("kubectl");
    // A cluster is not a machine: kubectl runs on the engine's transports (local, or via ssh).
    assertThat(plugin.transports()).isEmpty();
    assertThat(plugin.actions().get(0).descriptor().inputs().keySet())
        .containsExactly("command", "args", "output", "namespace", "timeout", "server_dry_run");
  }

  @Test
  void aTargetViaABastionSaysSoWhereverItIsDescribed() {
    assertThat(new Target("cluster", "kubectl", Map.of("via", "bastion")).describe())
        .isEqualTo("cluster (kubectl via bastion)");
    assertThat(new Target("cluster", "kubectl", Map.of("context", "admin")).describe())
        .isEqualTo("cluster (kubectl)");
  }
}
