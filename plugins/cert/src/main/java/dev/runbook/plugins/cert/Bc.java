package dev.runbook.plugins.cert;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider this plugin uses, passed explicitly to every JCA call and never
 * registered with {@link java.security.Security}: the engine's other code keeps the JDK's
 * providers, and nothing here depends on provider order.
 */
final class Bc {

  private Bc() {}

  /**
   * Created on first use, not when the plugin loads: {@code runbook validate} never pays for it.
   */
  static Provider provider() {
    return Holder.PROVIDER;
  }

  private static final class Holder {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }
}
