package dev.runbook.plugins.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.api.FailureKind;
import dev.runbook.api.Plugin;
import dev.runbook.api.Target;
import dev.runbook.api.TransportException;
import java.util.List;
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
    assertThat(plugin.transports()).extracting(t -> t.kind()).containsExactly("kubectl");
    assertThat(plugin.actions().get(0).descriptor().inputs().keySet())
        .containsExactly("command", "args", "output", "namespace", "timeout", "server_dry_run");
  }

  @Test
  void aTargetWithoutViaRunsKubectlHere() throws Exception {
    assertThat(
            new KubectlTransportProvider(Map.of())
                .open(new Target("cluster", "kubectl", Map.of("context", "admin")))
                .describe())
        .isEqualTo("local");
  }

  @Test
  void aTargetWithViaSaysTheEngineMustOpenTheBastion() {
    Target target = new Target("cluster", "kubectl", Map.of("via", "bastion"));

    assertThatThrownBy(() -> new KubectlTransportProvider(Map.of()).open(target))
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "target 'cluster' runs kubectl via 'bastion', but this engine does not yet hand the"
                + " kubectl plugin the transport of 'bastion'; remove 'via' to run kubectl here")
        .extracting(e -> ((TransportException) e).kind())
        .isEqualTo(FailureKind.CONFIG);
    assertThat(List.of(target.describe())).containsExactly("cluster (kubectl)");
  }
}
