package dev.runbook.cli;

import dev.runbook.engine.audit.AuditEvent;
import dev.runbook.engine.audit.AuditTrail;
import dev.runbook.engine.audit.RunDirectory;
import dev.runbook.engine.audit.RunSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a run used a host, for {@code audit list --host}: a parameter equal to it, an item of a
 * host list parameter ({@code a,b c}), or a step that ran there ({@code ranOn}: {@code
 * omm@10.0.0.5:22 (mrs-node-1)} matches {@code 10.0.0.5} and {@code mrs-node-1}). Host names
 * compare without case and without a trailing dot.
 */
final class HostMatch {

  private static final Pattern RAN_ON =
      Pattern.compile("(?:[^@\\s]+@)?(\\[[^\\]]+\\]|[^:\\s(]+)(?::\\d+)?(?:\\s*\\(([^)]*)\\))?");

  private HostMatch() {}

  static boolean usedHost(Path stateDir, RunSummary summary, String host) {
    String wanted = normal(host);
    if (summary.params() != null) {
      for (String value : summary.params().values()) {
        if (value == null) {
          continue;
        }
        for (String item : value.split("[,\\s]+")) {
          if (normal(item).equals(wanted)) {
            return true;
          }
        }
      }
    }
    RunDirectory run =
        new RunDirectory(summary.runId(), RunDirectory.runsRoot(stateDir).resolve(summary.runId()));
    try {
      for (AuditEvent event : AuditTrail.read(run).events()) {
        if (event instanceof AuditEvent.StepFinished f
            && f.ranOn() != null
            && ranOn(f.ranOn(), wanted)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  static boolean ranOn(String ranOn, String wanted) {
    Matcher m = RAN_ON.matcher(ranOn.strip());
    if (!m.matches()) {
      return normal(ranOn).contains(wanted);
    }
    String address = m.group(1).replace("[", "").replace("]", "");
    return normal(address).equals(wanted)
        || (m.group(2) != null && normal(m.group(2)).equals(wanted));
  }

  private static String normal(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
