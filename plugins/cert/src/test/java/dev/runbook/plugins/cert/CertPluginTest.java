package dev.runbook.plugins.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.api.Action;
import dev.runbook.api.Plugin;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CertPluginTest {

  @Test
  void isFoundThroughTheServiceFileWithItsThreeActions() {
    Plugin plugin =
        ServiceLoader.load(Plugin.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.id().equals("cert"))
            .findFirst()
            .orElseThrow();

    assertThat(plugin).isInstanceOf(CertPlugin.class);
    assertThat(plugin.actions())
        .extracting(action -> action.descriptor().name())
        .containsExactly("cert.inspect", "cert.verify", "cert.issue");
    assertThat(plugin.actions())
        .extracting((Action action) -> action.descriptor().changesByDefault())
        .containsExactly(false, false, true);
    assertThat(plugin.transports()).isEmpty();
  }
}
