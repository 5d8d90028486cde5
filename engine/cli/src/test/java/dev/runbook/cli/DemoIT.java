package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The README's first command: ALM-45654 for real against embedded SSH servers, nothing set up by
 * hand.
 */
class DemoIT {

  @Test
  void theDemoRenewsTheCertificateOverSshAndShowsAVerifiedTrail() {
    Cli cli = Cli.run("demo");
    assertThat(cli.exitCode()).as(cli.out() + cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out())
        .contains("Their Flink HA certificate")
        .contains("decided result.daysLeft > 30 = false → wait-for-off-peak")
        .contains("because result.daysLeft = 9")
        .contains("│ out| Generated a new HA certificate on ")
        .contains("(mrs-demo-active)")
        .contains("RESOLVED: No further action is required.")
        .contains("runbook audit verify: ok, ")
        .contains("hash chain intact")
        .contains("The certificate is now valid for more than 30 days: true");
    assertThat(System.getProperty("runbook.ssh.config"))
        .as("the demo cleans up after itself")
        .isNull();
  }
}
